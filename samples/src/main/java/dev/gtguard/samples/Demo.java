package dev.gtguard.samples;

import dev.gtguard.testkit.EmbeddedDynamoDb;
import dev.gtguard.testkit.Lag;
import dev.gtguard.testkit.LocalGlobalTable;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The README's demo: every scenario on embedded DynamoDB Local, each ending in {@code RESULT ...}
 * lines whose format is a stable contract. Pass scenario names to run only those.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    out.println(
        "gtguard demo: what DynamoDB does to concurrent writes, and what the library changes.");
    out.println(
        "Everything runs locally: one DynamoDB Local per simulated region, replicated with");
    out.println("Global Tables' last-writer-wins per item. No AWS account, no Docker.");
    Set<String> only = Set.of(args);
    try (EmbeddedDynamoDb ddb = quietly(EmbeddedDynamoDb::start);
        LocalGlobalTable global =
            quietly(
                () ->
                    LocalGlobalTable.builder()
                        .regions("eu-west-1", "us-east-1", "ap-southeast-1")
                        .start())) {
      List<Scenario> scenarios =
          List.of(
              new HotCounterScenario(ddb, 8, 50),
              new LondonScenario(global, Lag.of(Duration.ofMillis(1000), Duration.ofMillis(50))),
              new LoadScenario(
                  global,
                  30,
                  Duration.ofSeconds(3),
                  Lag.of(Duration.ofMillis(200), Duration.ofMillis(300))));
      for (Scenario scenario : scenarios) {
        if (only.isEmpty() || only.contains(scenario.name())) {
          scenario.run(out);
        }
      }
    }
  }

  /** DynamoDB Local prints its configuration banner to stdout; keep the demo's output readable. */
  static <T> T quietly(Supplier<T> start) {
    PrintStream original = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try {
      return start.get();
    } finally {
      System.setOut(original);
    }
  }
}
