package dev.gtguard.benchmarks;

import dev.gtguard.Changes;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.ledger.Reconciler;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.testkit.Concurrently;
import dev.gtguard.testkit.EmbeddedDynamoDb;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reconciler throughput and memory at two ledger sizes, on embedded DynamoDB Local: every item gets
 * 10 versioned writes through the public API (a create and 9 updates, each with its ledger entry),
 * then one dry run reconciles the table. Memory is the largest live heap the garbage collector
 * found during the run (heap in use right after each collection, minus the heap in use before the
 * run): what the run holds, not what it has thrown away. Prints one line per size:
 *
 * <pre>
 * RECONCILER entries=100000 items=10000 seconds=41.2 entries_per_s=2427 peak_live_heap_mb=6.1
 * </pre>
 */
public final class ReconcilerBenchmark {
  private static final int WRITES_PER_ITEM = 10;

  private ReconcilerBenchmark() {}

  public static void main(String[] args) throws Exception {
    try (EmbeddedDynamoDb ddb = EmbeddedDynamoDb.start()) {
      for (int entries : new int[] {10_000, 100_000}) {
        run(ddb, entries);
      }
    }
  }

  private static void run(EmbeddedDynamoDb ddb, int entries) throws Exception {
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
    AtomicInteger next = new AtomicInteger();
    long populating = System.nanoTime();
    Concurrently.repeat(
        8,
        items / 8,
        () -> {
          String id = "sub#" + next.incrementAndGet();
          VersionedItem state =
              table.create(Map.of("pk", AttributeValue.fromS(id), "n", AttributeValue.fromN("0")));
          for (int i = 1; i < WRITES_PER_ITEM; i++) {
            long n = i;
            state = table.update(state, s -> Changes.builder().set("n", n).build()).item();
          }
        });

    System.out.printf(
        Locale.ROOT,
        "(wrote %d versioned writes with their ledger entries in %.0f s)%n",
        entries,
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
