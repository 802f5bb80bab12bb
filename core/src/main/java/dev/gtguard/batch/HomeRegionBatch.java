package dev.gtguard.batch;

import dev.gtguard.ItemKey;
import dev.gtguard.UpdateFunction;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.exception.GlobalTablesException;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.exception.UnknownRegionException;
import dev.gtguard.exception.WriteInterruptedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs a batch job's per-item update in each item's home region: items are grouped by home, and
 * each region's share runs in parallel with bounded concurrency through the table's client for that
 * region, so every write is checked where it cannot be lost. Reports progress and a per-region
 * summary. Input is streamed, never held in memory as a whole.
 *
 * <pre>{@code
 * BatchSummary summary = HomeRegionBatch.builder()
 *     .table(subscribers)                       // routed: clients + homeRegion
 *     .concurrencyPerRegion(8)
 *     .progress(p -> log.info("{} done, {} failed", p.done(), p.failed()), 1000)
 *     .build()
 *     .run(subscribers.scanLocal(), item -> Changes.builder().set("last_contacted", now).build());
 * }</pre>
 *
 * <p>Each item is counted by what happened to its write, never by what came after it: {@code done}
 * (applied), {@code failed} (not applied, safe to run again) or {@code unknown} (an {@link
 * OutcomeUnknownException}: it may or may not have been applied, so running it again blindly could
 * apply it twice). An {@code onItemDone} callback that throws does not undo a committed write: the
 * item stays {@code done} and is also counted {@code callbackFailed}.
 */
public final class HomeRegionBatch {
  /**
   * Progress so far: items handed to a region, and of the finished ones how many were applied, not
   * applied, and of unknown outcome; {@code callbackFailed} is a part of {@code done}.
   */
  public record Progress(
      long submitted, long done, long failed, long callbackFailed, long unknown) {
    /** Progress without callback failures or unknown outcomes (the earlier shape). */
    public Progress(long submitted, long done, long failed) {
      this(submitted, done, failed, 0, 0);
    }
  }

  private static final int SAMPLE_FAILURES = 10;
  private static final String NO_REGION = "<no home>";

  private final VersionedTable table;
  private final int concurrency;
  private final Consumer<Progress> progress;
  private final long progressEvery;
  private final Consumer<UpdateResult> onItemDone;

  private HomeRegionBatch(Builder b) {
    this.table = b.table;
    this.concurrency = b.concurrency;
    this.progress = b.progress;
    this.progressEvery = b.progressEvery;
    this.onItemDone = b.onItemDone;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Updates every item (e.g. from {@link VersionedTable#scanLocal()}), each in its home region. */
  public BatchSummary run(Stream<VersionedItem> items, UpdateFunction function) {
    Objects.requireNonNull(function, "function");
    try (Run run = new Run()) {
      items.forEach(
          item -> {
            String home;
            try {
              home = table.homeRegionOf(item);
            } catch (UnknownRegionException e) {
              run.failedWithoutRegion(e);
              return;
            }
            run.submit(home, () -> table.update(item, function));
          });
      return run.finish();
    }
  }

  /** Updates the items with these keys, each in its home region. */
  public BatchSummary runKeys(Stream<ItemKey> keys, UpdateFunction function) {
    Objects.requireNonNull(function, "function");
    try (Run run = new Run()) {
      keys.forEach(
          key -> {
            String home;
            try {
              home = table.homeRegionOf(key);
            } catch (GlobalTablesException e) {
              run.failedWithoutRegion(e);
              return;
            }
            run.submit(home, () -> table.update(key, function));
          });
      return run.finish();
    }
  }

  /** One region's counts and a few sample exceptions of each kind, or the whole run's. */
  private static final class Counts {
    final AtomicLong done = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong callbackFailed = new AtomicLong();
    final AtomicLong unknown = new AtomicLong();
    final List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
    final List<Throwable> callbackFailures = Collections.synchronizedList(new ArrayList<>());
    final List<GlobalTablesException> unknownOutcomes =
        Collections.synchronizedList(new ArrayList<>());

    void done(UpdateResult result) {
      done.incrementAndGet();
      if (result.attempts() > 1) {
        retried.incrementAndGet();
      }
    }

    void fail(RuntimeException e) {
      failed.incrementAndGet();
      sample(failures, e);
    }

    void callbackFailed(Throwable e) {
      callbackFailed.incrementAndGet();
      sample(callbackFailures, e);
    }

    void unknown(GlobalTablesException e) {
      unknown.incrementAndGet();
      sample(unknownOutcomes, e);
    }

    /** Ends the item's update: applied, not applied, or unknown, by how it ended. */
    void ended(RuntimeException e) {
      if (e instanceof OutcomeUnknownException unknownOutcome) {
        unknown(unknownOutcome);
      } else if (e instanceof WriteInterruptedException interrupted
          && interrupted.mayHaveBeenApplied()) {
        unknown(interrupted); // the same uncertainty, reached by an interrupt
      } else {
        fail(e);
      }
    }

    Progress progress(long submitted) {
      return new Progress(submitted, done.get(), failed.get(), callbackFailed.get(), unknown.get());
    }

    BatchSummary.RegionSummary summary(String region) {
      return new BatchSummary.RegionSummary(
          region,
          done.get(),
          retried.get(),
          failed.get(),
          failures,
          callbackFailed.get(),
          callbackFailures,
          unknown.get(),
          unknownOutcomes);
    }

    private static <T> void sample(List<T> samples, T e) {
      synchronized (samples) {
        if (samples.size() < SAMPLE_FAILURES) {
          samples.add(e);
        }
      }
    }
  }

  /** One run: an executor and a permit pool per region, so a slow region only slows itself. */
  private final class Run implements AutoCloseable {
    final Map<String, ExecutorService> executors = new ConcurrentHashMap<>();
    final Map<String, Semaphore> permits = new ConcurrentHashMap<>();
    final Map<String, Counts> counts = new ConcurrentHashMap<>();
    final Counts total = new Counts();
    final AtomicLong submitted = new AtomicLong();
    final AtomicLong finished = new AtomicLong();

    void submit(String region, Supplier<UpdateResult> update) {
      Semaphore regionPermits =
          permits.computeIfAbsent(region, r -> new Semaphore(concurrency * 2));
      ExecutorService executor =
          executors.computeIfAbsent(region, r -> Executors.newFixedThreadPool(concurrency));
      Counts regionCounts = counts.computeIfAbsent(region, r -> new Counts());
      regionPermits.acquireUninterruptibly();
      submitted.incrementAndGet();
      executor.execute(
          () -> {
            try {
              updateOne(update, regionCounts);
            } finally {
              regionPermits.release();
              long n = finished.incrementAndGet();
              if (progress != null && n % progressEvery == 0) {
                progress.accept(total.progress(submitted.get()));
              }
            }
          });
    }

    /** One item: the write's own outcome first; the callback can only add a callback failure. */
    private void updateOne(Supplier<UpdateResult> update, Counts regionCounts) {
      UpdateResult result;
      try {
        result = update.get();
      } catch (RuntimeException e) {
        regionCounts.ended(e);
        total.ended(e);
        return;
      }
      regionCounts.done(result);
      total.done(result);
      if (onItemDone == null) {
        return;
      }
      try {
        onItemDone.accept(result);
      } catch (VirtualMachineError fatal) {
        throw fatal; // out of memory, stack overflow: nothing to count on
      } catch (Throwable e) {
        // The write is committed: counting it failed would invite running it a second time.
        regionCounts.callbackFailed(e);
        total.callbackFailed(e);
      }
    }

    void failedWithoutRegion(RuntimeException e) {
      counts.computeIfAbsent(NO_REGION, r -> new Counts()).fail(e);
      total.fail(e);
      finished.incrementAndGet();
    }

    BatchSummary finish() {
      executors.values().forEach(ExecutorService::shutdown);
      for (ExecutorService executor : executors.values()) {
        try {
          while (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
            // keep waiting: every submitted update ends, by success, failure or retry exhaustion
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the batch", e);
        }
      }
      if (progress != null) {
        progress.accept(total.progress(submitted.get()));
      }
      Map<String, BatchSummary.RegionSummary> regions = new TreeMap<>();
      counts.forEach((region, c) -> regions.put(region, c.summary(region)));
      return new BatchSummary(Collections.unmodifiableMap(regions));
    }

    @Override
    public void close() {
      executors.values().forEach(ExecutorService::shutdownNow);
    }
  }

  /** Builds a {@link HomeRegionBatch}; each setter validates its argument at once. */
  public static final class Builder {
    private VersionedTable table;
    private int concurrency = 4;
    private Consumer<Progress> progress;
    private long progressEvery = 1000;
    private Consumer<UpdateResult> onItemDone;

    private Builder() {}

    /** The table, built with the clients of every region and a home-region strategy. Required. */
    public Builder table(VersionedTable table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /**
     * Updates in flight per home region. Default 4.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder concurrencyPerRegion(int concurrency) {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    /** Called every {@code every} finished items and once at the end. */
    public Builder progress(Consumer<Progress> progress, long every) {
      if (every < 1) {
        throw new IllegalArgumentException("every must be >= 1, was " + every);
      }
      this.progress = Objects.requireNonNull(progress, "progress");
      this.progressEvery = every;
      return this;
    }

    /**
     * Called with each acknowledged update, on the region's worker thread. If it throws (an {@link
     * Error} too, except a {@link VirtualMachineError}), the item is still counted {@code done},
     * and also {@code callbackFailed} with the exception as a sample: its write is committed and
     * must not be run again.
     */
    public Builder onItemDone(Consumer<UpdateResult> onItemDone) {
      this.onItemDone = Objects.requireNonNull(onItemDone, "onItemDone");
      return this;
    }

    /**
     * @throws IllegalStateException if no table was set
     */
    public HomeRegionBatch build() {
      if (table == null) {
        throw new IllegalStateException("table is required");
      }
      return new HomeRegionBatch(this);
    }
  }
}
