package dev.gtguard.samples;

import dev.gtguard.testkit.EmbeddedDynamoDb;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

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
    try (EmbeddedDynamoDb ddb = quietly(EmbeddedDynamoDb::start)) {
      List<Scenario> scenarios = List.of(new HotCounterScenario(ddb, 8, 50));
      Set<String> only = Set.of(args);
      for (Scenario scenario : scenarios) {
        if (only.isEmpty() || only.contains(scenario.name())) {
          scenario.run(out);
        }
      }
    }
  }

  /** DynamoDB Local prints its configuration banner to stdout; keep the demo's output readable. */
  static <T> T quietly(java.util.function.Supplier<T> start) {
    PrintStream original = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try {
      return start.get();
    } finally {
      System.setOut(original);
    }
  }
}
