package dev.gtguard.samples;

import dev.gtguard.Changes;
import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.ItemKey;
import dev.gtguard.ReadConsistency;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedTable;
import dev.gtguard.testkit.Concurrently;
import dev.gtguard.testkit.LocalDynamoDb;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * N threads increment one subscriber's counter in one region: first blind read-modify-write, then
 * through {@link VersionedTable}. Every increment is acknowledged in both modes; the final count
 * says how many survived.
 */
final class HotCounterScenario implements Scenario {
  private static final ItemKey KEY = ItemKey.of("pk", "subscriber#4711");

  private final LocalDynamoDb ddb;
  private final int threads;
  private final int incrementsPerThread;

  HotCounterScenario(LocalDynamoDb ddb, int threads, int incrementsPerThread) {
    this.ddb = ddb;
    this.threads = threads;
    this.incrementsPerThread = incrementsPerThread;
  }

  @Override
  public String name() {
    return "hot-counter";
  }

  @Override
  public void run(PrintStream out) throws Exception {
    int total = threads * incrementsPerThread;
    out.printf(
        "%n== hot-counter: %d threads each add 1 to subscriber#4711's counter %d times (%d increments)%n",
        threads, incrementsPerThread, total);

    DynamoDbClient client = ddb.client();
    String blindTable = ddb.createTable("hot-counter-blind", "pk");
    client.putItem(r -> r.tableName(blindTable).item(Map.of("pk", s(KEY), "count", n(0))));
    long blindAcknowledged =
        concurrently(
            () -> {
              Map<String, AttributeValue> item =
                  client
                      .getItem(r -> r.tableName(blindTable).key(KEY.asMap()).consistentRead(true))
                      .item();
              long next = Long.parseLong(item.get("count").n()) + 1;
              client.putItem(
                  r -> r.tableName(blindTable).item(Map.of("pk", s(KEY), "count", n(next))));
            });
    long blindFinal =
        Long.parseLong(
            client
                .getItem(r -> r.tableName(blindTable).key(KEY.asMap()).consistentRead(true))
                .item()
                .get("count")
                .n());
    out.printf(
        "   blind read-modify-write: %d writes acknowledged, no error anywhere, final count %d.%n"
            + "   Two threads that read the same value both write value+1: one increment vanishes.%n",
        blindAcknowledged, blindFinal);
    result(out, "blind", blindAcknowledged, blindAcknowledged - blindFinal, 1.0);

    String versionedTable = ddb.createTable("hot-counter-versioned", "pk");
    VersionedTable table =
        VersionedTable.builder()
            .client(client)
            .tableName(versionedTable)
            .partitionKey("pk")
            .retryPolicy(ConflictRetryPolicy.builder().maxAttempts(10_000).build())
            .build();
    table.create(Map.of("pk", s(KEY), "count", n(0)));
    AtomicLong attempts = new AtomicLong();
    long acknowledged =
        concurrently(
            () -> {
              UpdateResult result =
                  table.update(
                      KEY,
                      item ->
                          Changes.builder()
                              .set("count", Long.parseLong(item.get("count").n()) + 1)
                              .build());
              attempts.addAndGet(result.attempts());
            });
    long versionedFinal =
        Long.parseLong(table.get(KEY, ReadConsistency.STRONG).orElseThrow().get("count").n());
    double perSuccess = (double) attempts.get() / acknowledged;
    out.printf(
        "   versioned (gtguard): %d updates acknowledged, final count %d. Each write was conditional on%n"
            + "   the version it read, and the threads' updates of the item queued: one write in flight, none%n"
            + "   refused (%d writes sent, %.2f per acknowledged update). Another process's would be retried.%n",
        acknowledged, versionedFinal, attempts.get(), perSuccess);
    result(out, "versioned", acknowledged, acknowledged - versionedFinal, perSuccess);
  }

  private static void result(
      PrintStream out, String mode, long acknowledged, long lost, double attemptsPerSuccess) {
    out.println(
        String.format(
            Locale.ROOT,
            "RESULT scenario=hot-counter mode=%s acknowledged=%d lost=%d attempts_per_success=%.2f",
            mode,
            acknowledged,
            lost,
            attemptsPerSuccess));
  }

  /** Runs {@code increment} {@code incrementsPerThread} times on each thread; counts the runs. */
  private long concurrently(Concurrently.Task increment) throws Exception {
    AtomicLong acknowledged = new AtomicLong();
    Concurrently.repeat(
        threads,
        incrementsPerThread,
        () -> {
          increment.run();
          acknowledged.incrementAndGet();
        });
    return acknowledged.get();
  }

  private static AttributeValue s(ItemKey key) {
    return key.get("pk");
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
