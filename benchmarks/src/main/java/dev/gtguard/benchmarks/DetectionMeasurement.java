package dev.gtguard.benchmarks;

import dev.gtguard.testkit.RequestCounter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * One {@link DetectionMode} of {@link DetectionCostBenchmark} set up once: its table (and ledger
 * table), both without a stream, holding {@code sequentialItems} items {@code s-00000...} for the
 * sequential phase and one item {@code t-00...} per writer of the throughput phase, all created
 * before any measurement. Each {@link #run} then measures one round on them.
 */
final class DetectionMeasurement {
  private final DetectionMode mode;
  private final DynamoDbClient client;
  private final RequestCounter requests;
  private final CapacityCounter capacity;
  private final String tableName;
  private final String ledgerTable;
  private final DetectionMode.Writer writer;
  private final int threads;

  /** Creates the mode's tables and items; the clients must run both counters. */
  DetectionMeasurement(
      DetectionMode mode,
      DynamoDbClient client,
      RequestCounter requests,
      CapacityCounter capacity,
      int sequentialItems,
      int threads) {
    this.mode = mode;
    this.client = client;
    this.requests = requests;
    this.capacity = capacity;
    this.threads = threads;
    this.tableName = createTable(client, "detection-" + mode.label(), false);
    this.ledgerTable = mode.ledger() ? createTable(client, "ledger", true) : null;
    this.writer = mode.prepare(client, tableName, ledgerTable);
    for (int i = 0; i < sequentialItems; i++) {
      writer.create(sequentialKey(i));
    }
    for (int t = 0; t < threads; t++) {
      writer.create(threadKey(t));
    }
  }

  /**
   * One round: {@code updates} updates one after the other on the items {@code s-00000...}, one
   * each, then {@link #threads} writers each updating its own item in a loop for {@code seconds}.
   */
  DetectionRun run(String round, int updates, double seconds) throws InterruptedException {
    long[] latencies = new long[updates];
    long failed = 0;
    Throwable firstFailure = null;
    requests.reset();
    capacity.reset();
    long began = System.nanoTime();
    for (int i = 0; i < updates; i++) {
      long start = System.nanoTime();
      try {
        writer.update(sequentialKey(i));
      } catch (RuntimeException e) {
        failed++;
        firstFailure = firstFailure == null ? e : firstFailure;
      }
      latencies[i] = System.nanoTime() - start;
    }
    double sequentialSeconds = (System.nanoTime() - began) / 1e9;
    Map<String, Double> perUpdate = new TreeMap<>();
    requests.snapshot().forEach((op, n) -> perUpdate.put(op, (double) n / updates));
    boolean reported = capacity.reported() > 0 && capacity.unreported() == 0;
    double wcu = reported ? capacity.writeUnits() / updates : Double.NaN;
    double rcu = reported ? capacity.readUnits() / updates : Double.NaN;
    if (capacity.reported() > 0 && capacity.unreported() > 0) {
      System.out.printf(
          Locale.ROOT,
          "# %s: capacity reported on %d responses, not on %d: counted n/a%n",
          mode.label(),
          capacity.reported(),
          capacity.unreported());
    }
    Throughput throughput = throughput(seconds);
    failed += throughput.failed.sum();
    firstFailure = firstFailure == null ? throughput.firstFailure : firstFailure;
    if (firstFailure != null) {
      System.out.println("# " + mode.label() + ": " + failed + " failed, first: " + firstFailure);
    }
    DetectionRun.sorted(latencies);
    return new DetectionRun(
        mode.label(),
        round,
        threads,
        DetectionRun.quantile(latencies, 0.50) / 1e3,
        DetectionRun.quantile(latencies, 0.99) / 1e3,
        updates / sequentialSeconds,
        throughput.perSecond,
        perUpdate,
        wcu,
        rcu,
        bytes(item(tableName, Map.of("pk", AttributeValue.fromS(sequentialKey(0))))),
        ledgerTable == null ? -1 : bytes(lastEntry(sequentialKey(0))),
        failed);
  }

  /** The attribute names of the stored item {@code s-00000}, for the record. */
  String attributeNames() {
    return new TreeMap<>(item(tableName, Map.of("pk", AttributeValue.fromS(sequentialKey(0)))))
        .keySet()
        .toString();
  }

  private Throughput throughput(double seconds) throws InterruptedException {
    Throughput result = new Throughput();
    Thread[] workers = new Thread[threads];
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    long[] deadline = new long[1];
    for (int t = 0; t < threads; t++) {
      String key = threadKey(t);
      workers[t] =
          new Thread(
              () -> {
                ready.countDown();
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                // The latch orders the write of deadline[0] before this read.
                while (System.nanoTime() < deadline[0]) {
                  try {
                    writer.update(key);
                    result.done.increment();
                  } catch (RuntimeException e) {
                    result.failed.increment();
                    result.fail(e);
                  }
                }
              },
              "detection-writer-" + (t + 1));
      workers[t].setDaemon(true);
      workers[t].start();
    }
    ready.await();
    long start = System.nanoTime();
    deadline[0] = start + (long) (seconds * 1e9);
    go.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    // Every update started before the deadline is counted, over the time until the last ended.
    result.perSecond = result.done.sum() / ((System.nanoTime() - start) / 1e9);
    return result;
  }

  private Map<String, AttributeValue> item(String table, Map<String, AttributeValue> key) {
    return client.getItem(r -> r.tableName(table).key(key).consistentRead(true)).item();
  }

  /**
   * The newest ledger entry of item {@code pk}: that of its last update. The ledger partition's
   * form ({@code table#pk=S:value}) is the library's, written out here.
   */
  private Map<String, AttributeValue> lastEntry(String pk) {
    return client
        .query(
            r ->
                r.tableName(ledgerTable)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(
                        Map.of(":pk", AttributeValue.fromS(tableName + "#pk=S:" + pk)))
                    .scanIndexForward(false)
                    .limit(1))
        .items()
        .get(0);
  }

  /**
   * The UTF-8 bytes of every name and value: numbers as their decimal text, binaries as their
   * bytes, booleans and nulls as 1, sets, lists and maps as the sum of their elements (map keys
   * included). Close to, not exactly, DynamoDB's item size (it stores numbers in about half their
   * digits).
   */
  static long bytes(Map<String, AttributeValue> item) {
    long bytes = 0;
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      bytes += utf8(e.getKey()) + bytes(e.getValue());
    }
    return bytes;
  }

  private static long bytes(AttributeValue v) {
    if (v.s() != null) {
      return utf8(v.s());
    } else if (v.n() != null) {
      return utf8(v.n());
    } else if (v.b() != null) {
      return v.b().asByteArrayUnsafe().length;
    } else if (v.bool() != null || v.nul() != null) {
      return 1;
    } else if (v.hasM()) {
      return bytes(v.m());
    } else if (v.hasL()) {
      return v.l().stream().mapToLong(DetectionMeasurement::bytes).sum();
    } else if (v.hasSs()) {
      return v.ss().stream().mapToLong(DetectionMeasurement::utf8).sum();
    } else if (v.hasNs()) {
      return v.ns().stream().mapToLong(DetectionMeasurement::utf8).sum();
    } else if (v.hasBs()) {
      return v.bs().stream().mapToLong(b -> b.asByteArrayUnsafe().length).sum();
    }
    return 0;
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  static String sequentialKey(int i) {
    return String.format(Locale.ROOT, "s-%05d", i);
  }

  private static String threadKey(int t) {
    return String.format(Locale.ROOT, "t-%02d", t);
  }

  /** A pay-per-request table, string {@code pk} (and {@code sk} for a ledger), no stream. */
  private static String createTable(DynamoDbClient client, String prefix, boolean sortKey) {
    String name = prefix + "-" + Long.toHexString(System.nanoTime());
    client.createTable(
        r -> {
          r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST);
          if (sortKey) {
            r.keySchema(
                    k -> k.attributeName("pk").keyType(KeyType.HASH),
                    k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .attributeDefinitions(
                    a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                    a -> a.attributeName("sk").attributeType(ScalarAttributeType.S));
          } else {
            r.keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(
                    a -> a.attributeName("pk").attributeType(ScalarAttributeType.S));
          }
        });
    return name;
  }

  /** The throughput phase's counts, added to by every writer. */
  private static final class Throughput {
    final LongAdder done = new LongAdder();
    final LongAdder failed = new LongAdder();
    volatile Throwable firstFailure;
    double perSecond;

    synchronized void fail(Throwable e) {
      firstFailure = firstFailure == null ? e : firstFailure;
    }
  }
}
