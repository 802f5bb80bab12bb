package dev.gtguard.benchmarks;

import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.ItemKey;
import dev.gtguard.ReadConsistency;
import dev.gtguard.VersionedTable;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The blocking and the asynchronous table side by side (issue 14): throughput and threads used at
 * {@value #WRITERS} concurrent writers, on {@value #WRITERS} distinct keys and on one hot key,
 * against DynamoDB Local in a child JVM ({@link DynamoDbLocalProcess}), so that the threads counted
 * here are the library's, the SDK's and the writers' only. Tables have no stream.
 *
 * <ul>
 *   <li>{@code blocking}: {@link VersionedTable}, one platform thread per writer ({@link
 *       BlockingWriters});
 *   <li>{@code async}: {@link dev.gtguard.AsyncVersionedTable}, one chain of futures per writer on
 *       a 2-thread executor and a 1-thread scheduler ({@link AsyncWriters}).
 * </ul>
 *
 * <p>Both use the same retry policy: the library's full-jitter backoff (10 ms base, 1 s cap) with
 * up to 10,000 attempts, so that no update gives up. Each round runs both workloads, each mode on a
 * fresh table with fresh clients: a warm-up, then a measured window, then the writers stop and the
 * stored counters are summed. A first round, not reported, warms up both JVMs (this one and the
 * server's). Rounds alternate which mode goes first; the medians are printed last, with a
 * side-by-side table. One line per measurement (wrapped here):
 *
 * <pre>
 * RESULT benchmark=async workload=hot mode=async round=median writers=64 successes_per_s=207
 *   attempts_per_success=1.59 p99_ms=13003.1 starved=60 threads=15 jvm_peak_threads=24
 *   cpu_us_per_success=3827 acknowledged=6837 lost=0 failed=0
 * </pre>
 *
 * <ul>
 *   <li>{@code successes_per_s}: updates acknowledged in the window, per second;
 *   <li>{@code attempts_per_success}: UpdateItem calls the client sent in the window (counted by an
 *       execution interceptor, so a writer still retrying when the window closes counts too) per
 *       update acknowledged in it;
 *   <li>{@code p99_ms}: over the updates acknowledged in the window, plus each writer's update
 *       still in flight when it closes, by its age then (a lower bound): a writer that never gets
 *       through is not left out;
 *   <li>{@code starved}: writers with no update acknowledged in the window;
 *   <li>{@code threads}: the most threads alive at once in the window that were not alive before
 *       the mode built its client ({@link ThreadCensus}, sampled every 100 ms); {@code
 *       jvm_peak_threads}: the JVM's own peak in the window, every thread included;
 *   <li>{@code cpu_us_per_success}: this JVM's CPU time in the window (JIT and GC included, the
 *       server's not) per acknowledged update;
 *   <li>{@code acknowledged}, {@code lost}, {@code failed}: over the whole run; lost is
 *       acknowledged minus the sum of the stored counters.
 * </ul>
 *
 * <p>{@code round} is the round's number, or {@code median}: the median of each rate and count
 * across rounds, and the sums of acknowledged, lost and failed. System properties {@code
 * gtguard.bench.rounds} (3), {@code gtguard.bench.warmupSeconds} (10), {@code
 * gtguard.bench.seconds} (15) and {@code gtguard.bench.workloads} ({@code distinct,hot}) change the
 * run. Exits non-zero if any update was lost or failed.
 */
public final class AsyncBenchmark {
  static final int WRITERS = 64;
  private static final int ROUNDS = Integer.getInteger("gtguard.bench.rounds", 3);
  private static final int WARMUP_SECONDS = Integer.getInteger("gtguard.bench.warmupSeconds", 10);
  private static final int SECONDS = Integer.getInteger("gtguard.bench.seconds", 15);
  private static final long SAMPLE_MILLIS = 100;
  private static final ConflictRetryPolicy POLICY =
      ConflictRetryPolicy.builder().maxAttempts(10_000).build();
  private static final List<String> WORKLOADS =
      List.of(System.getProperty("gtguard.bench.workloads", "distinct,hot").split(","));

  private AsyncBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, List<Measurement>> all = new LinkedHashMap<>();
    try (DynamoDbLocalProcess ddb = DynamoDbLocalProcess.start()) {
      // The setup client's threads start with its first request: part of the baseline.
      ddb.client().listTables();
      Set<Long> lasting = ThreadCensus.liveIds();
      System.out.printf(
          Locale.ROOT,
          "# %d writers; %d rounds of %d s warm-up + %d s measured per workload and mode;"
              + " %s; %d processors%n",
          WRITERS,
          ROUNDS,
          WARMUP_SECONDS,
          SECONDS,
          POLICY,
          Runtime.getRuntime().availableProcessors());
      System.out.println(
          "# "
              + lasting.size()
              + " threads alive before any mode, never counted: "
              + ThreadCensus.names(lasting));
      // Round 0, not reported: both JVMs (this one and the server's) load and compile their code.
      for (String mode : List.of("blocking", "async")) {
        run(ddb, lasting, "distinct", mode);
      }
      for (int round = 1; round <= ROUNDS; round++) {
        List<String> modes =
            round % 2 == 1 ? List.of("blocking", "async") : List.of("async", "blocking");
        for (String workload : WORKLOADS) {
          for (String mode : modes) {
            Measurement m = run(ddb, lasting, workload, mode);
            all.computeIfAbsent(workload + "/" + mode, k -> new ArrayList<>()).add(m);
            System.out.println(m.resultLine(Integer.toString(round), WRITERS));
            System.out.println(m.threadsLine(Integer.toString(round)));
          }
        }
      }
    }
    List<Measurement> medians = new ArrayList<>();
    for (String workload : WORKLOADS) {
      for (String mode : List.of("blocking", "async")) {
        medians.add(Measurement.median(all.get(workload + "/" + mode)));
      }
    }
    for (Measurement m : medians) {
      System.out.println(m.resultLine("median", WRITERS));
      System.out.println(m.threadsLine("median"));
    }
    System.out.println();
    System.out.println(Measurement.tableHeader());
    medians.forEach(m -> System.out.println(m.tableRow()));
    if (medians.stream().anyMatch(m -> m.lost() != 0 || m.failed() != 0)) {
      System.out.println("# FAILED: updates were lost or failed");
      System.exit(1);
    }
  }

  private static Measurement run(
      DynamoDbLocalProcess ddb, Set<Long> lasting, String workload, String mode) throws Exception {
    DynamoDbClient setup = ddb.client();
    String tableName = createTable(setup);
    List<ItemKey> keys = new ArrayList<>();
    for (int i = 0; i < WRITERS; i++) {
      keys.add(
          ItemKey.of(
              "pk", workload.equals("hot") ? "hot" : String.format(Locale.ROOT, "k-%02d", i)));
    }
    VersionedTable items =
        VersionedTable.builder().client(setup).tableName(tableName).partitionKey("pk").build();
    for (ItemKey key : Set.copyOf(keys)) {
      Map<String, AttributeValue> item = new HashMap<>(key.asMap());
      item.put("count", AttributeValue.fromN("0"));
      items.create(item);
    }
    ThreadCensus census = ThreadCensus.settle(lasting, 15_000);
    try (Writers writers =
        mode.equals("blocking")
            ? new BlockingWriters(ddb.endpoint(), tableName, POLICY, keys)
            : new AsyncWriters(ddb.endpoint(), tableName, POLICY, keys)) {
      writers.start();
      Thread.sleep(WARMUP_SECONDS * 1000L);
      census.start();
      long cpuBefore = processCpuNanos();
      long start = System.nanoTime();
      writers.openWindow();
      long end = start + SECONDS * 1_000_000_000L;
      while (System.nanoTime() < end) {
        census.sample();
        Thread.sleep(Math.max(1, Math.min(SAMPLE_MILLIS, (end - System.nanoTime()) / 1_000_000)));
      }
      long closed = System.nanoTime();
      writers.closeWindow(closed);
      long cpu = processCpuNanos() - cpuBefore;
      census.sample();
      int jvmPeak = census.jvmPeak();
      writers.stop();
      long successes = 0;
      long acknowledged = 0;
      long failed = 0;
      int starved = 0;
      Throwable firstFailure = null;
      for (Tally t : writers.tallies) {
        successes += t.windowSuccesses;
        acknowledged += t.acknowledged;
        failed += t.failed;
        starved += t.windowSuccesses == 0 ? 1 : 0;
        firstFailure = firstFailure == null ? t.firstFailure : firstFailure;
      }
      if (firstFailure != null) {
        System.out.println("# " + failed + " updates failed, the first with: " + firstFailure);
      }
      long stored = 0;
      for (ItemKey key : Set.copyOf(keys)) {
        stored +=
            Long.parseLong(items.get(key, ReadConsistency.STRONG).orElseThrow().get("count").n());
      }
      return new Measurement(
          workload,
          mode,
          successes / ((closed - start) / 1e9),
          (double) writers.windowAttempts / successes,
          Tally.p99Millis(writers.tallies),
          starved,
          census.peak(),
          jvmPeak,
          cpu < 0 ? Double.NaN : cpu / 1e3 / successes,
          acknowledged,
          acknowledged - stored,
          failed,
          census.peakGroups());
    } finally {
      setup.deleteTable(r -> r.tableName(tableName));
    }
  }

  /** A pay-per-request table with a string partition key {@code pk} and no stream. */
  private static String createTable(DynamoDbClient client) {
    String name = "async-bench-" + Long.toHexString(System.nanoTime());
    client.createTable(
        r ->
            r.tableName(name)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(
                    a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .billingMode(BillingMode.PAY_PER_REQUEST));
    return name;
  }

  /** The measuring JVM's CPU time, or -1 where the JVM does not tell. */
  private static long processCpuNanos() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime()
        : -1;
  }
}
