package dev.gtguard.benchmarks;

import dev.gtguard.Changes;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.ledger.Reconciler;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.testkit.LocalDynamoDb;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Reconciler throughput and memory at two ledger sizes, on embedded DynamoDB Local: every item gets
 * 10 versioned writes through the public API (a create and 9 updates, each with its ledger entry),
 * then one dry run reconciles the table. Memory is the largest live heap the garbage collector
 * found during the run (heap in use right after each collection, minus the heap in use before the
 * run): what the run holds, not what it has thrown away. DynamoDB Local runs in a child JVM ({@link
 * DynamoDbLocalProcess}), so that the heap measured is the reconciler's alone and not the server's
 * growing tables. Prints one line per size:
 *
 * <pre>
 * RECONCILER entries=100000 items=10000 seconds=41.2 entries_per_s=2427 peak_live_heap_mb=6.1
 * </pre>
 */
public final class ReconcilerBenchmark {
  private static final int WRITES_PER_ITEM = 10;
  private static final String TEMPLATE = "template";

  private ReconcilerBenchmark() {}

  public static void main(String[] args) throws Exception {
    try (DynamoDbLocalProcess ddb = DynamoDbLocalProcess.start()) {
      for (int entries : new int[] {10_000, 100_000}) {
        run(ddb, entries);
      }
    }
  }

  private static void run(LocalDynamoDb ddb, int entries) throws Exception {
    WriteLedger ledger =
        WriteLedger.builder().tableName(ddb.createTable("ledger", "pk", "sk")).build();
    VersionedTable table =
        VersionedTable.builder()
            .client(ddb.client())
            .tableName(ddb.createTable("subscribers", "pk"))
            .partitionKey("pk")
            .ledger(ledger)
            .build();
    int items = entries / WRITES_PER_ITEM;
    long populating = System.nanoTime();
    populate(ddb, table, ledger, items);
    System.out.printf(
        Locale.ROOT,
        "(wrote %d ledger entries and %d items in %.0f s)%n",
        entries,
        items,
        (System.nanoTime() - populating) / 1e9);
    LiveHeap heap = new LiveHeap();
    long start = System.nanoTime();
    Reconciler.Report report =
        Reconciler.builder()
            .ledger(ledger)
            .ledgerClient(ddb.client())
            .table(table)
            .segments(4)
            .parallelism(8)
            .build()
            .run();
    double seconds = (System.nanoTime() - start) / 1e9;
    heap.stop();
    if (report.lostCount() != 0 || report.entries() != (long) items * WRITES_PER_ITEM) {
      throw new IllegalStateException("unexpected report " + report);
    }
    System.out.printf(
        Locale.ROOT,
        "RECONCILER entries=%d items=%d seconds=%.1f entries_per_s=%.0f peak_live_heap_mb=%.1f%n",
        report.entries(),
        report.items(),
        seconds,
        report.entries() / seconds,
        heap.peakMegabytes());
  }

  /**
   * One item's history written through the library (a create and 9 updates, each a transaction with
   * its ledger entry), then its entries and the item cloned for {@code items} items with
   * BatchWriteItem: DynamoDB Local's transactions slow to a crawl as its tables grow (100,000 of
   * them did not finish in an hour), and a clone is a genuine history under another key.
   */
  private static void populate(
      LocalDynamoDb ddb, VersionedTable table, WriteLedger ledger, int items) {
    VersionedItem state =
        table.create(Map.of("pk", AttributeValue.fromS(TEMPLATE), "n", AttributeValue.fromN("0")));
    for (int i = 1; i < WRITES_PER_ITEM; i++) {
      long n = i;
      state = table.update(state, s -> Changes.builder().set("n", n).build()).item();
    }
    // The template's entries are the only ones in the ledger yet.
    List<Map<String, AttributeValue>> history =
        ddb.client().scan(r -> r.tableName(ledger.tableName()).consistentRead(true)).items();
    AttributeValue templateKey = AttributeValue.fromM(Map.of("pk", AttributeValue.fromS(TEMPLATE)));
    List<WriteRequest> batch = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      String id = "sub#" + i;
      for (Map<String, AttributeValue> entry : history) {
        // The same history under the item's key: its ledger partition and its key map.
        Map<String, AttributeValue> clone = new HashMap<>(entry);
        String partition = entry.get(ledger.partitionKey()).s();
        clone.put(ledger.partitionKey(), AttributeValue.fromS(partition.replace(TEMPLATE, id)));
        AttributeValue key = AttributeValue.fromM(Map.of("pk", AttributeValue.fromS(id)));
        clone.replaceAll((name, value) -> value.equals(templateKey) ? key : value);
        batch.add(put(clone));
        flush(ddb, ledger.tableName(), batch);
      }
      Map<String, AttributeValue> item = new HashMap<>(state.attributes());
      item.put("pk", AttributeValue.fromS(id));
      ddb.client().putItem(r -> r.tableName(table.tableName()).item(item));
    }
    flushAll(ddb, ledger.tableName(), batch);
    ddb.client()
        .deleteItem(
            r -> r.tableName(table.tableName()).key(Map.of("pk", AttributeValue.fromS(TEMPLATE))));
    for (Map<String, AttributeValue> entry : history) {
      ddb.client()
          .deleteItem(
              r ->
                  r.tableName(ledger.tableName())
                      .key(
                          Map.of(
                              ledger.partitionKey(),
                              entry.get(ledger.partitionKey()),
                              ledger.sortKey(),
                              entry.get(ledger.sortKey()))));
    }
  }

  private static WriteRequest put(Map<String, AttributeValue> item) {
    return WriteRequest.builder().putRequest(p -> p.item(item)).build();
  }

  private static void flush(LocalDynamoDb ddb, String table, List<WriteRequest> batch) {
    if (batch.size() >= 25) {
      flushAll(ddb, table, batch);
    }
  }

  private static void flushAll(LocalDynamoDb ddb, String table, List<WriteRequest> batch) {
    if (batch.isEmpty()) {
      return;
    }
    Map<String, List<WriteRequest>> pending = Map.of(table, List.copyOf(batch));
    batch.clear();
    while (!pending.isEmpty()) {
      Map<String, List<WriteRequest>> next = pending;
      pending = ddb.client().batchWriteItem(r -> r.requestItems(next)).unprocessedItems();
    }
  }

  /**
   * The largest live heap during a run, above the live heap before it: a full collection every half
   * second (which slows the run a little) and the heap in use right after it. Heap in use after a
   * young collection would count dead old objects, the embedded server's among them.
   */
  private static final class LiveHeap {
    private final long baseline = liveHeap();
    private final AtomicLong peak = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    LiveHeap() {
      sampler =
          new Thread(
              () -> {
                while (running) {
                  peak.accumulateAndGet(liveHeap() - baseline, Math::max);
                  try {
                    Thread.sleep(500);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      sampler.setDaemon(true);
      sampler.start();
    }

    void stop() throws InterruptedException {
      running = false;
      sampler.interrupt();
      sampler.join();
    }

    double peakMegabytes() {
      return Math.max(0, peak.get()) / (1024.0 * 1024.0);
    }

    private static long liveHeap() {
      System.gc();
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
  }
}
