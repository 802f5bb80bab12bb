package dev.gtguard.benchmarks;

import dev.gtguard.testkit.RequestCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * before any measurement ({@value #CREATORS} threads at once). Each {@link #run} then measures one
 * round on them.
 */
final class DetectionMeasurement {
  /** Threads creating the items, before any measurement. */
  private static final int CREATORS = 4;

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
      int threads)
      throws ExecutionException, InterruptedException {
    this.mode = mode;
    this.client = client;
    this.requests = requests;
    this.capacity = capacity;
    this.threads = threads;
    this.tableName = createTable(client, "detection-" + mode.label(), false);
    this.ledgerTable = mode.ledger() ? createTable(client, "ledger", true) : null;
    this.writer = mode.prepare(client, tableName, ledgerTable);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < sequentialItems; i++) {
      keys.add(sequentialKey(i));
    }
    for (int t = 0; t < threads; t++) {
      keys.add(threadKey(t));
    }
    ExecutorService creators = Executors.newFixedThreadPool(CREATORS);
    try {
      List<Future<?>> created = new ArrayList<>();
      keys.forEach(pk -> created.add(creators.submit(() -> writer.create(pk))));
      for (Future<?> done : created) {
        done.get();
      }
    } finally {
      creators.shutdown();
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
        ItemBytes.of(item(tableName, Map.of("pk", AttributeValue.fromS(sequentialKey(0))))),
        ledgerTable == null ? -1 : ItemBytes.of(lastEntry(sequentialKey(0))),
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
