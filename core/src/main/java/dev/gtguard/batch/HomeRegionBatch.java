package dev.gtguard.batch;

import dev.gtguard.ItemKey;
import dev.gtguard.UpdateFunction;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.exception.GlobalTablesException;
import dev.gtguard.exception.UnknownRegionException;
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
 *     .progress(p -> log.info("{} done, {} failed", p.done(), p.failed()))
 *     .build()
 *     .run(subscribers.scanLocal(), item -> Changes.builder().set("last_contacted", now).build());
 * }</pre>
 */
public final class HomeRegionBatch {
  /** Progress so far: items handed to a region, finished, and failed. */
  public record Progress(long submitted, long done, long failed) {}

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

  private final class Counts {
    final AtomicLong done = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());

    void fail(RuntimeException e) {
      failed.incrementAndGet();
      if (failures.size() < SAMPLE_FAILURES) {
        failures.add(e);
      }
    }
  }

  /** One run: an executor and a permit pool per region, so a slow region only slows itself. */
  private final class Run implements AutoCloseable {
    final Map<String, ExecutorService> executors = new ConcurrentHashMap<>();
    final Map<String, Semaphore> permits = new ConcurrentHashMap<>();
    final Map<String, Counts> counts = new ConcurrentHashMap<>();
    final AtomicLong submitted = new AtomicLong();
    final AtomicLong finished = new AtomicLong();
    final AtomicLong failed = new AtomicLong();

    void submit(String region, java.util.function.Supplier<UpdateResult> update) {
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
              UpdateResult result = update.get();
              regionCounts.done.incrementAndGet();
              if (result.attempts() > 1) {
                regionCounts.retried.incrementAndGet();
              }
              if (onItemDone != null) {
                onItemDone.accept(result);
              }
            } catch (RuntimeException e) {
              regionCounts.fail(e);
              failed.incrementAndGet();
            } finally {
              regionPermits.release();
              long n = finished.incrementAndGet();
              if (progress != null && n % progressEvery == 0) {
                progress.accept(new Progress(submitted.get(), n - failed.get(), failed.get()));
              }
            }
          });
    }

    void failedWithoutRegion(RuntimeException e) {
      counts.computeIfAbsent(NO_REGION, r -> new Counts()).fail(e);
      failed.incrementAndGet();
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
        progress.accept(new Progress(submitted.get(), finished.get() - failed.get(), failed.get()));
      }
      Map<String, BatchSummary.RegionSummary> regions = new TreeMap<>();
      counts.forEach(
          (region, c) ->
              regions.put(
                  region,
                  new BatchSummary.RegionSummary(
                      region,
                      c.done.get(),
                      c.retried.get(),
                      c.failed.get(),
                      List.copyOf(c.failures))));
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

    /** Called with each acknowledged update, on the region's worker thread. */
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
