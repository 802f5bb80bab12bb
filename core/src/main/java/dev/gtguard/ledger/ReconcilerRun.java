package dev.gtguard.ledger;

import dev.gtguard.LostWrite;
import dev.gtguard.internal.ledger.ItemReconciler.Reported;
import dev.gtguard.internal.ledger.ItemReconciler.Result;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Reconciler} run: scan threads hand item ids to a bounded pool of judges (when the
 * queue is full, a scan thread judges the item itself, so the scan never runs far ahead), and every
 * result is counted, reported and written as it comes.
 */
final class ReconcilerRun {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final Reconciler reconciler;
  private final Writer jsonLines;
  private final AtomicLong items = new AtomicLong();
  private final LongAdder entries = new LongAdder();
  private final LongAdder failover = new LongAdder();
  private final LongAdder lostCount = new LongAdder();
  private final LongAdder repaired = new LongAdder();
  private final LongAdder ahead = new LongAdder();
  private final LongAdder findingCount = new LongAdder();
  private final LongAdder failedItems = new LongAdder();
  private final Map<RepairOutcome, LongAdder> repairs = new EnumMap<>(RepairOutcome.class);
  private final List<LostWrite> lost = Collections.synchronizedList(new ArrayList<>());
  private final List<Finding> findings = Collections.synchronizedList(new ArrayList<>());

  ReconcilerRun(Reconciler reconciler, Writer jsonLines) {
    this.reconciler = reconciler;
    this.jsonLines = jsonLines;
    for (RepairOutcome outcome : RepairOutcome.values()) {
      repairs.put(outcome, new LongAdder());
    }
  }

  Reconciler.Report execute(int fromSegment, int toSegment, int totalSegments) {
    int n = reconciler.parallelism();
    ThreadPoolExecutor judges =
        new ThreadPoolExecutor(
            n,
            n,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(n * 2),
            new ThreadPoolExecutor.CallerRunsPolicy());
    ExecutorService scans = Executors.newFixedThreadPool(toSegment - fromSegment);
    try {
      List<Future<?>> scanning = new ArrayList<>();
      for (int s = fromSegment; s < toSegment; s++) {
        int segment = s;
        scanning.add(
            scans.submit(
                () ->
                    reconciler.scan(
                        segment, totalSegments, id -> judges.execute(() -> judge(id)))));
      }
      for (Future<?> f : scanning) {
        f.get();
      }
      judges.shutdown();
      while (!judges.awaitTermination(1, TimeUnit.SECONDS)) {
        // every item ends: judged, undecided or failed
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reconciling", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } finally {
      scans.shutdownNow();
      judges.shutdownNow();
    }
    report(true);
    Map<RepairOutcome, Long> outcomes = new EnumMap<>(RepairOutcome.class);
    repairs.forEach((outcome, count) -> outcomes.put(outcome, count.sum()));
    return new Reconciler.Report(
        items.get(),
        entries.sum(),
        failover.sum(),
        lostCount.sum(),
        List.copyOf(lost),
        Collections.unmodifiableMap(outcomes),
        repaired.sum(),
        ahead.sum(),
        List.copyOf(findings),
        findingCount.sum(),
        failedItems.sum());
  }

  private void judge(String itemId) {
    Result result;
    try {
      result = reconciler.reconcile(itemId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failedItems.increment();
      return;
    } catch (RuntimeException e) {
      // One item that cannot be read (throttled, deleted table) never aborts the others.
      LOG.warn(
          "could not reconcile an item of table {}; the run goes on", reconciler.tableName(), e);
      failedItems.increment();
      return;
    }
    entries.add(result.entries());
    failover.add(result.failoverEntries());
    repaired.add(result.repaired());
    ahead.add(result.ahead());
    for (Reported r : result.losses()) {
      lostCount.increment();
      repairs.get(r.repair()).increment();
      reconciler.listeners().onLostWrite(r.lost());
      keep(lost, r.lost());
      if (jsonLines != null) {
        synchronized (jsonLines) {
          LostWriteReport.write(jsonLines, r.lost(), r.repair());
        }
      }
    }
    for (Finding finding : result.findings()) {
      findingCount.increment();
      keep(findings, finding);
      LOG.info(
          "{} {} {}: {}", finding.kind(), finding.tableName(), finding.key(), finding.detail());
    }
    items.incrementAndGet();
    report(false);
  }

  private <T> void keep(List<T> list, T value) {
    synchronized (list) {
      if (list.size() < reconciler.retain()) {
        list.add(value);
      }
    }
  }

  private void report(boolean last) {
    if (reconciler.progress() == null) {
      return;
    }
    long checked = items.get();
    if (last || checked % reconciler.progressEvery() == 0) {
      reconciler
          .progress()
          .accept(new Reconciler.Progress(checked, entries.sum(), lostCount.sum()));
    }
  }
}
