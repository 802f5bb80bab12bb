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

/**
 * What each way of detecting lost writes costs per update (issue 15), against DynamoDB Local in a
 * child JVM ({@link DynamoDbLocalProcess}). Every mode does the same update, read (strongly
 * consistent) then write {@code count + 1}, on items {@code {pk, count, data}} ({@code data} 100
 * characters), see {@link DetectionMode}:
 *
 * <ul>
 *   <li>{@code raw}: the baseline, low-level client, {@code GetItem} + unconditional {@code
 *       UpdateItem SET count = :n}, no versioning, nothing to detect lost writes with;
 *   <li>{@code enhanced}: Enhanced Client {@code getItem} + {@code updateItem} with a {@code
 *       DynamoDbVersionAttribute} (conditional, but no lost-write detection either);
 *   <li>{@code plain}: the stream path, {@code VersionedTable.update(key, fn)} without a ledger:
 *       one conditional {@code UpdateItem}, the item carries version, write token and parent token;
 *       lost writes are found later by reading DynamoDB Streams, not on the write path;
 *   <li>{@code ledger}: the same with a {@code WriteLedger}: each write a two-item {@code
 *       TransactWriteItems} (the item and its ledger entry).
 * </ul>
 *
 * <p>Tables have no stream (DynamoDB Local slows down a lot with one, and the stream path's reading
 * is outside the write path: not measured here). Each mode's table and items are created once,
 * before any measurement; one client (Apache 5, 128 connections) with a {@link RequestCounter} and
 * a {@link CapacityCounter} serves every mode. A warm-up round (fewer updates, shorter throughput
 * phase) is not reported; then each round runs every mode, in the order given in odd rounds and
 * reversed in even ones. For each mode and round ({@link DetectionMeasurement}):
 *
 * <ul>
 *   <li>sequential: one thread, one update on each of {@code updates} distinct items; p50 and p99
 *       latency and updates per second; the requests per update by operation and the capacity units
 *       DynamoDB reported per update are counted in this phase;
 *   <li>throughput: {@code threads} threads, each updating its own item in a loop for {@code
 *       seconds}: updates per second;
 *   <li>item bytes: the stored item's attribute names and values in UTF-8, from one strongly
 *       consistent read; for {@code ledger} also the newest ledger entry's.
 * </ul>
 *
 * <p>One line per measurement, then the medians (lower middle), a table and ratios:
 *
 * <pre>
 * DETECTION-COST mode=plain round=median seq_p50_us=... seq_p99_us=... seq_per_s=...
 *   threads16_per_s=... requests_per_update=GetItem:1.00,UpdateItem:1.00 wcu_per_update=...
 *   rcu_per_update=... item_bytes=... ledger_entry_bytes=n/a failed=0
 * </pre>
 *
 * <p>System properties: {@code gtguard.bench.rounds} (3), {@code gtguard.bench.updates} (2000),
 * {@code gtguard.bench.seconds} (10), {@code gtguard.bench.threads} (16), {@code
 * gtguard.bench.modes} ({@code raw,enhanced,plain,ledger}), {@code gtguard.bench.warmupUpdates}
 * (500) and {@code gtguard.bench.warmupSeconds} (3). Exits non-zero if any update failed.
 */
public final class DetectionCostBenchmark {
  private static final int ROUNDS = Integer.getInteger("gtguard.bench.rounds", 3);
  private static final int UPDATES = Integer.getInteger("gtguard.bench.updates", 2000);
  private static final double SECONDS =
      Double.parseDouble(System.getProperty("gtguard.bench.seconds", "10"));
  private static final int THREADS = Integer.getInteger("gtguard.bench.threads", 16);
  private static final int WARMUP_UPDATES =
      Math.min(UPDATES, Integer.getInteger("gtguard.bench.warmupUpdates", 500));
  private static final double WARMUP_SECONDS =
      Double.parseDouble(System.getProperty("gtguard.bench.warmupSeconds", "3"));
  private static final List<DetectionMode> MODES =
      Arrays.stream(
              System.getProperty("gtguard.bench.modes", "raw,enhanced,plain,ledger").split(","))
          .map(DetectionMode::of)
          .toList();

  private DetectionCostBenchmark() {}

  public static void main(String[] args) throws Exception {
    long began = System.nanoTime();
    double loadBefore = load();
    Map<String, List<DetectionRun>> all = new LinkedHashMap<>();
    RequestCounter requests = new RequestCounter();
    CapacityCounter capacity = new CapacityCounter();
    try (DynamoDbLocalProcess ddb = DynamoDbLocalProcess.start();
        DynamoDbClient client = ddb.newClient(Region.EU_WEST_1, requests, capacity)) {
      System.out.printf(
          Locale.ROOT,
          "# modes %s; %d rounds of %d sequential updates (1 thread, distinct items) and %.0f s"
              + " of %d threads (one item each); warm-up %d updates + %.0f s; tables without"
              + " streams (the stream path's reading cost is outside the write path, not"
              + " measured); %d processors; load average %.2f%n",
          MODES.stream().map(DetectionMode::label).toList(),
          ROUNDS,
          UPDATES,
          SECONDS,
          THREADS,
          WARMUP_UPDATES,
          WARMUP_SECONDS,
          Runtime.getRuntime().availableProcessors(),
          loadBefore);
      long setup = System.nanoTime();
      Map<DetectionMode, DetectionMeasurement> measurements = new LinkedHashMap<>();
      for (DetectionMode mode : MODES) {
        measurements.put(
            mode, new DetectionMeasurement(mode, client, requests, capacity, UPDATES, THREADS));
      }
      System.out.printf(
          Locale.ROOT,
          "# setup (tables, %d items per mode): %.0f s%n",
          UPDATES + THREADS,
          (System.nanoTime() - setup) / 1e9);
      long warming = System.nanoTime();
      for (DetectionMeasurement m : measurements.values()) {
        m.run("warm-up", WARMUP_UPDATES, WARMUP_SECONDS);
      }
      System.out.printf(
          Locale.ROOT, "# warm-up: %.0f s, not reported%n", (System.nanoTime() - warming) / 1e9);
      measurements.forEach(
          (mode, m) ->
              System.out.println("# item attributes " + mode.label() + ": " + m.attributeNames()));
      for (int round = 1; round <= ROUNDS; round++) {
        List<DetectionMode> order = new ArrayList<>(MODES);
        if (round % 2 == 0) {
          Collections.reverse(order);
        }
        for (DetectionMode mode : order) {
          DetectionRun run = measurements.get(mode).run(Integer.toString(round), UPDATES, SECONDS);
          System.out.println(run.line());
          all.computeIfAbsent(mode.label(), k -> new ArrayList<>()).add(run);
        }
      }
    }
    Map<String, DetectionRun> medians = new LinkedHashMap<>();
    for (DetectionMode mode : MODES) {
      medians.put(mode.label(), DetectionRun.median(all.get(mode.label())));
    }
    medians.values().forEach(m -> System.out.println(m.line()));
    report(medians);
    System.out.printf(
        Locale.ROOT,
        "%n# %.0f s in all; load average at the start %.2f, at the end %.2f%n",
        (System.nanoTime() - began) / 1e9,
        loadBefore,
        load());
    if (medians.values().stream().anyMatch(m -> m.failed() != 0)) {
      System.out.println("# FAILED: updates failed");
      System.exit(1);
    }
  }

  /** The side-by-side table, the ratios and the capacity note. */
  private static void report(Map<String, DetectionRun> medians) {
    System.out.println();
    System.out.println(DetectionRun.tableHeader(THREADS));
    medians.values().forEach(m -> System.out.println(m.tableRow()));
    System.out.println();
    ratio(medians, "ledger", "plain");
    ratio(medians, "plain", "raw");
    ratio(medians, "plain", "enhanced");
    ratio(medians, "enhanced", "raw");
    ratio(medians, "ledger", "raw");
    boolean measured = medians.values().stream().noneMatch(m -> Double.isNaN(m.wcuPerUpdate()));
    System.out.println();
    if (measured) {
      System.out.println(
          "# WCU/RCU: as DynamoDB Local reported them (ReturnConsumedCapacity=TOTAL on every"
              + " call): its model of AWS's rules from the item sizes, not a bill. AWS documents"
              + " a transactional write at 2 WCU per item per KB: a ledger update (item + entry,"
              + " each under 1 KB) is 2 x 2 = 4 WCU against 1 WCU for a plain update.");
    } else {
      System.out.println(
          "# WCU/RCU: n/a, DynamoDB Local did not report consumed capacity. Documented, not"
              + " measured: AWS bills a transactional write 2 WCU per item per KB, so a ledger"
              + " update (item + entry, each under 1 KB) is 2 x 2 = 4 WCU against 1 WCU for a"
              + " plain update; the strongly consistent read is 1 RCU (up to 4 KB) in every mode.");
    }
    System.out.println(
        "# item bytes: UTF-8 bytes of attribute names and values (numbers as decimal text), close"
            + " to, not exactly, DynamoDB's item size.");
  }

  private static void ratio(Map<String, DetectionRun> medians, String mode, String base) {
    if (medians.containsKey(mode) && medians.containsKey(base)) {
      System.out.println("# " + medians.get(mode).ratioTo(medians.get(base)));
    }
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
