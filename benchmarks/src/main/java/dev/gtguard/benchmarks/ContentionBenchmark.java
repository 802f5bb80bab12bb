package dev.gtguard.benchmarks;

import dev.gtguard.testkit.RequestCounter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The hot-key measurement behind the library's retry strategy (issue 15): T threads each increment
 * one item's {@code count} a fixed number of times (read-modify-write), for T = 1, 4, 16, 64, in
 * each {@link ContentionMode}, against DynamoDB Local in a child JVM ({@link
 * DynamoDbLocalProcess}), each measurement on a fresh table without a stream:
 *
 * <ul>
 *   <li>{@code library-default}: {@code VersionedTable.update(key, fn)} with every default: the
 *       updates of one item queued ({@code SameItemUpdates.QUEUED}: one write in flight, no
 *       conflicts between the threads), {@code ConflictRetryPolicy.ofDefaults()} (64 attempts;
 *       every retry pauses, then reads the item again); an update that exhausts them gave up;
 *   <li>{@code library-combining}: {@code SameItemUpdates.COMBINED}: the queued updates share
 *       writes to the item;
 *   <li>{@code library-concurrent}: {@code SameItemUpdates.CONCURRENT}: the threads compete as
 *       separate processes would, the default retry policy settles their conflicts;
 *   <li>{@code library-immediate1}: concurrent, the retry policy the default beat: one retry at
 *       once on the item returned with the refusal before the pausing ones, the attempt limit
 *       lifted to 10,000;
 *   <li>{@code library-unlimited}: concurrent, the default policy with the attempt limit lifted;
 *   <li>{@code naive-enhanced}: the Enhanced Client's {@code @DynamoDbVersionAttribute} in a user's
 *       loop: consistent read, update, and after a refusal the same full-jitter pause, then read
 *       again ({@link ContentionNaiveWriter});
 *   <li>{@code raw-refusal} and {@code raw-reread}: the low-level client, retrying after the pause
 *       on the item returned with the refusal (as the library did before) or on a fresh read (as
 *       the naive loop and now the library do), otherwise the same ({@link ContentionRawWriter});
 *   <li>{@code blind}: consistent read, unconditional put: the control that loses updates.
 * </ul>
 *
 * <p>Every backoff is the library's default: uniform in {@code [0, min(1 s, 10 ms * 2^(retry -
 * 1))]}. One client (Apache 5, 128 connections) serves every mode. A first round (4 threads, 20
 * updates each, every mode) warms both JVMs up and is not reported; then each round runs every
 * thread count, and at each thread count every mode, in the order given in odd rounds and reversed
 * in even ones. Each measurement prints one line (wrapped here), see {@link ContentionRun} for the
 * fields; the medians of all rounds follow, then a side-by-side table:
 *
 * <pre>
 * CONTENTION threads=16 updates=800 lost=0 attempts_per_success=1.20 p99_attempts=12
 *   mode=library-unlimited round=median acknowledged=800 gave_up=0 failed=0 max_attempts=21
 *   first_accepted=0.98 retry_accepted=0.10 reads_per_update=1.00 successes_per_s=146.9
 *   p99_ms=2312 max_ms=7381 longest_wait_ms=7384 first_done_s=0.1 median_done_s=2.4 seconds=5.4
 *   lost_all_rounds=0
 * </pre>
 *
 * <p>System properties: {@code gtguard.bench.rounds} (3), {@code gtguard.bench.threads} ({@code
 * 1,4,16,64}), {@code gtguard.bench.modes} (all, in the order above), {@code
 * gtguard.bench.updatesPerThread} (50) and {@code gtguard.bench.maxUpdates} (the most increments in
 * one measurement: above it the updates per thread shrink, 3200). Exits non-zero if any mode but
 * {@code blind} lost an update, or any update failed. The library's own warnings (one for each
 * update given up) are silenced unless {@code org.slf4j.simpleLogger.log.dev.gtguard} is set.
 */
public final class ContentionBenchmark {
  private static final int ROUNDS = Integer.getInteger("gtguard.bench.rounds", 3);
  private static final int UPDATES_PER_THREAD =
      Integer.getInteger("gtguard.bench.updatesPerThread", 50);
  private static final int MAX_UPDATES = Integer.getInteger("gtguard.bench.maxUpdates", 3200);
  private static final int[] THREADS =
      Arrays.stream(System.getProperty("gtguard.bench.threads", "1,4,16,64").split(","))
          .mapToInt(Integer::parseInt)
          .toArray();
  private static final List<ContentionMode> MODES =
      System.getProperty("gtguard.bench.modes") == null
          ? List.of(ContentionMode.values())
          : Arrays.stream(System.getProperty("gtguard.bench.modes").split(","))
              .map(ContentionMode::of)
              .toList();

  private static final String QUIET = "org.slf4j.simpleLogger.log.dev.gtguard";

  private ContentionBenchmark() {}

  public static void main(String[] args) throws Exception {
    // library-default gives up by design and the library logs each time at WARN: counted instead.
    if (System.getProperty(QUIET) == null) {
      System.setProperty(QUIET, "error");
    }
    long began = System.nanoTime();
    Map<String, List<ContentionRun>> all = new LinkedHashMap<>();
    RequestCounter requests = new RequestCounter();
    try (DynamoDbLocalProcess ddb = DynamoDbLocalProcess.start();
        DynamoDbClient client = ddb.newClient(Region.EU_WEST_1, requests)) {
      System.out.printf(
          Locale.ROOT,
          "# modes %s; threads %s; %d updates per thread, at most %d per measurement;"
              + " %d rounds; %d processors; load average %.2f%n",
          MODES.stream().map(ContentionMode::label).toList(),
          Arrays.toString(THREADS),
          UPDATES_PER_THREAD,
          MAX_UPDATES,
          ROUNDS,
          Runtime.getRuntime().availableProcessors(),
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      long warming = System.nanoTime();
      for (ContentionMode mode : MODES) {
        ContentionMeasurement.run(client, requests, mode, 4, 20, "warm-up");
      }
      System.out.printf(
          Locale.ROOT, "# warm-up: %.0f s, not reported%n", (System.nanoTime() - warming) / 1e9);
      for (int round = 1; round <= ROUNDS; round++) {
        List<ContentionMode> order = new ArrayList<>(MODES);
        if (round % 2 == 0) {
          Collections.reverse(order);
        }
        for (int threads : THREADS) {
          int perThread = Math.max(1, Math.min(UPDATES_PER_THREAD, MAX_UPDATES / threads));
          for (ContentionMode mode : order) {
            ContentionRun run =
                ContentionMeasurement.run(
                    client, requests, mode, threads, perThread, Integer.toString(round));
            System.out.println(run.line());
            all.computeIfAbsent(mode.label() + "/" + threads, k -> new ArrayList<>()).add(run);
          }
        }
      }
    }
    List<ContentionRun> medians = new ArrayList<>();
    for (int threads : THREADS) {
      for (ContentionMode mode : MODES) {
        medians.add(ContentionRun.median(all.get(mode.label() + "/" + threads)));
      }
    }
    medians.forEach(m -> System.out.println(m.line()));
    System.out.println();
    System.out.println(ContentionRun.tableHeader());
    int previous = -1;
    for (ContentionRun m : medians) {
      if (previous != -1 && m.threads() != previous) {
        System.out.println();
      }
      previous = m.threads();
      System.out.println(m.tableRow());
    }
    System.out.printf(
        Locale.ROOT,
        "%n# %.0f s in all; load average at the end %.2f%n",
        (System.nanoTime() - began) / 1e9,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    boolean broken =
        medians.stream()
            .anyMatch(
                m -> m.failed() != 0 || (!m.mode().equals("blind") && m.lostAllRounds() != 0));
    if (broken) {
      System.out.println("# FAILED: a versioned mode lost updates, or updates failed");
      System.exit(1);
    }
  }

  /** A pay-per-request table with a string partition key {@code pk} and no stream. */
  static String createTable(DynamoDbClient client) {
    String name = "contention-" + Long.toHexString(System.nanoTime());
    client.createTable(
        r ->
            r.tableName(name)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(
                    a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .billingMode(BillingMode.PAY_PER_REQUEST));
    return name;
  }
}
