package dev.gtguard.benchmarks;

import dev.gtguard.Changes;
import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.ItemKey;
import dev.gtguard.ReadConsistency;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedTable;
import dev.gtguard.testkit.Concurrently;
import dev.gtguard.testkit.EmbeddedDynamoDb;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Attempts per acknowledged update when T threads increment one item through {@link
 * VersionedTable}, on embedded DynamoDB Local, for T = 4, 16, 64. Prints one line per thread count:
 *
 * <pre>
 * CONTENTION threads=16 updates=1600 lost=0 attempts_per_success=1.88 p99_attempts=6 exhausted=0
 * </pre>
 */
public final class ContentionBenchmark {
  private static final int UPDATES_PER_THREAD = 50;
  private static final ItemKey KEY = ItemKey.of("pk", "hot");

  private ContentionBenchmark() {}

  public static void main(String[] args) throws Exception {
    try (EmbeddedDynamoDb ddb = EmbeddedDynamoDb.start()) {
      for (int threads : new int[] {4, 16, 64}) {
        run(ddb, threads);
      }
    }
  }

  private static void run(EmbeddedDynamoDb ddb, int threads) throws Exception {
    VersionedTable table =
        VersionedTable.builder()
            .client(ddb.client())
            .tableName(ddb.createTable("contention", "pk"))
            .partitionKey("pk")
            .retryPolicy(
                // The library's default backoff (10 ms base, 1 s cap); only the attempt limit is
                // lifted so that the tail is measured instead of cut off.
                ConflictRetryPolicy.builder().maxAttempts(10_000).build())
            .build();
    table.create(Map.of("pk", AttributeValue.fromS("hot"), "count", AttributeValue.fromN("0")));
    AtomicLong attempts = new AtomicLong();
    List<Integer> perUpdate = java.util.Collections.synchronizedList(new ArrayList<>());
    Concurrently.repeat(
        threads,
        UPDATES_PER_THREAD,
        () -> {
          UpdateResult r =
              table.update(
                  KEY,
                  item ->
                      Changes.builder()
                          .set("count", Long.parseLong(item.get("count").n()) + 1)
                          .build());
          attempts.addAndGet(r.attempts());
          perUpdate.add(r.attempts());
        });
    long updates = (long) threads * UPDATES_PER_THREAD;
    long stored =
        Long.parseLong(table.get(KEY, ReadConsistency.STRONG).orElseThrow().get("count").n());
    List<Integer> sorted = new ArrayList<>(perUpdate);
    sorted.sort(null);
    System.out.println(
        String.format(
            Locale.ROOT,
            "CONTENTION threads=%d updates=%d lost=%d attempts_per_success=%.2f p99_attempts=%d",
            threads,
            updates,
            updates - stored,
            (double) attempts.get() / updates,
            sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1)));
  }
}
