package dev.gtguard.ledger;

import dev.gtguard.LostWrite;
import dev.gtguard.VersionedTable;
import dev.gtguard.internal.Listeners;
import dev.gtguard.internal.ledger.ItemReconciler;
import dev.gtguard.internal.ledger.ItemReconciler.Result;
import dev.gtguard.internal.ledger.LedgerScan;
import dev.gtguard.internal.write.Waiter;
import dev.gtguard.spi.WriteListener;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Finds every lost write in a {@link WriteLedger}, and (when asked) re-applies it safely.
 *
 * <p>For each item of the table the ledger holds, it queries that item's entries (strongly
 * consistent), reads the item in its home region (strongly consistent), and follows the item's
 * surviving history from its current write token through the parent tokens: every entry off it is
 * an acknowledged write that replication discarded. It only judges a consistent view: an item whose
 * current state has no entry yet (the ledger replica behind, or a write made after the query) is
 * looked at again, then reported {@link Finding.Kind#UNDECIDED}, never as a loss; writes the ledger
 * did not record (a TTL or console delete, a whole-item put without the library, a write without a
 * ledger) are {@link Finding.Kind#FOREIGN_BOUNDARY foreign boundaries}, never the loss of
 * everything before them; entries whose MAC fails are {@link Finding.Kind#UNVERIFIED_ENTRY} and
 * ignored.
 *
 * <pre>{@code
 * Reconciler.Report report = Reconciler.builder()
 *     .ledger(ledger)
 *     .ledgerClient(dynamoDb)
 *     .table(subscribers)                 // built with the same ledger
 *     .repair(RepairMode.DRY_RUN)         // the default; APPLY re-applies
 *     .build()
 *     .run(Files.newBufferedWriter(Path.of("lost-writes.jsonl")));
 * }</pre>
 *
 * <p><b>Repairs</b> ({@link RepairMode#APPLY}) go through {@link VersionedTable#repair}:
 * conditional on the state the loss was judged against, so a concurrent write makes the repair a
 * conflict (the item is judged again), never an overwrite. A repair's ledger entry names the loss
 * it re-applies, so later runs stop reporting a loss once its repair survives. Every repair's
 * outcome is recorded ({@link RepairOutcome}); one failure never aborts the run.
 *
 * <p><b>Size</b>: the ledger is scanned page by page, keys only; items are judged in parallel
 * ({@link Builder#parallelism}) from a bounded queue, so memory does not grow with the ledger.
 * Several processes (or Lambda invocations) can split one table with {@link Builder#segment(int,
 * int)}. Run it when replication has settled.
 */
public final class Reconciler {
  /** Progress so far. */
  public record Progress(long itemsChecked, long entriesRead, long lost) {}

  /**
   * What a run found.
   *
   * @param items items with ledger entries
   * @param entries ledger entries read
   * @param failoverEntries of those, writes made locally because the home was unreachable
   * @param lostCount every lost write found
   * @param lost the lost writes, the first {@link Builder#retainLosses retained} of them
   * @param repairs how many losses' repairs ended how
   * @param repaired lost writes whose earlier repair survives: no longer reported
   * @param ahead entries newer than their item's replica, left for a later run
   * @param findings what could not be judged, the first retained of them
   * @param findingCount every finding
   * @param failedItems items whose reconciliation failed (logged at WARN); the run went on
   */
  public record Report(
      long items,
      long entries,
      long failoverEntries,
      long lostCount,
      List<LostWrite> lost,
      Map<RepairOutcome, Long> repairs,
      long repaired,
      long ahead,
      List<Finding> findings,
      long findingCount,
      long failedItems) {}

  private final WriteLedger ledger;
  private final DynamoDbClient ledgerClient;
  private final VersionedTable table;
  private final int segments;
  private final int segment;
  private final int totalSegments;
  private final int parallelism;
  private final RepairMode mode;
  private final Consumer<Progress> progress;
  private final long progressEvery;
  private final int retain;
  private final Listeners listeners;
  private final ItemReconciler items;

  private Reconciler(Builder b) {
    this.ledger = b.ledger;
    this.ledgerClient = b.ledgerClient;
    this.table = b.table;
    this.segments = b.segments;
    this.segment = b.segment;
    this.totalSegments = b.totalSegments;
    this.parallelism = b.parallelism;
    this.mode = b.mode;
    this.progress = b.progress;
    this.progressEvery = b.progressEvery;
    this.retain = b.retain;
    this.listeners = new Listeners(b.listeners);
    this.items =
        new ItemReconciler(table, ledger, ledgerClient, mode, b.settleTime, 3, 2, Waiter.SLEEP);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Finds the lost writes, reporting them to the listeners (WARN log) only. */
  public Report run() {
    return run(null);
  }

  /**
   * Finds the lost writes, and repairs them if the mode is {@link RepairMode#APPLY}.
   *
   * @param jsonLines where to write each loss as a {@link LostWriteReport} line, or null
   */
  public Report run(Writer jsonLines) {
    ReconcilerRun run = new ReconcilerRun(this, jsonLines);
    int from = segment < 0 ? 0 : segment;
    int to = segment < 0 ? segments : segment + 1;
    int total = segment < 0 ? segments : totalSegments;
    return run.execute(from, to, total);
  }

  // For ReconcilerRun.

  int parallelism() {
    return parallelism;
  }

  int retain() {
    return retain;
  }

  long progressEvery() {
    return progressEvery;
  }

  Consumer<Progress> progress() {
    return progress;
  }

  WriteListener listeners() {
    return listeners;
  }

  Result reconcile(String itemId) throws InterruptedException {
    return items.reconcile(itemId);
  }

  void scan(int segment, int total, Consumer<String> sink) {
    LedgerScan.itemIds(ledgerClient, ledger, table.tableName(), segment, total, sink);
  }

  String tableName() {
    return table.tableName();
  }

  /** Builds a {@link Reconciler}; each setter validates its argument at once. */
  public static final class Builder {
    private WriteLedger ledger;
    private DynamoDbClient ledgerClient;
    private VersionedTable table;
    private int segments = 4;
    private int segment = -1;
    private int totalSegments;
    private int parallelism = 8;
    private RepairMode mode = RepairMode.DRY_RUN;
    private Duration settleTime = Duration.ofSeconds(1);
    private Consumer<Progress> progress;
    private long progressEvery = 1000;
    private int retain = 10_000;
    private final List<WriteListener> listeners = new ArrayList<>();

    private Builder() {}

    /** The ledger the table writes to. Required. */
    public Builder ledger(WriteLedger ledger) {
      this.ledger = Objects.requireNonNull(ledger, "ledger");
      return this;
    }

    /** A client to read the ledger with, in the region whose replica is judged. Required. */
    public Builder ledgerClient(DynamoDbClient ledgerClient) {
      this.ledgerClient = Objects.requireNonNull(ledgerClient, "ledgerClient");
      return this;
    }

    /** The table whose writes to check; items are read and repaired through it. Required. */
    public Builder table(VersionedTable table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /**
     * Scan segments this process reads in parallel, all of the ledger. Default 4.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder segments(int segments) {
      this.segments = positive(segments, "segments");
      return this;
    }

    /**
     * Reads only scan segment {@code segment} of {@code totalSegments}: several processes (or
     * Lambda invocations), each with its own segment, split one table between them.
     *
     * @throws IllegalArgumentException unless {@code 0 <= segment < totalSegments}
     */
    public Builder segment(int segment, int totalSegments) {
      if (segment < 0 || segment >= totalSegments) {
        throw new IllegalArgumentException(
            "segment must be in [0, " + totalSegments + "), was " + segment);
      }
      this.segment = segment;
      this.totalSegments = totalSegments;
      return this;
    }

    /**
     * Items judged in parallel. Default 8.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder parallelism(int parallelism) {
      this.parallelism = positive(parallelism, "parallelism");
      return this;
    }

    /** Report only ({@link RepairMode#DRY_RUN}, the default), or also re-apply. */
    public Builder repair(RepairMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * How long to wait before looking again at an item whose state has no ledger entry yet (up to
     * three times). Default 1 s.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder settleTime(Duration settleTime) {
      Objects.requireNonNull(settleTime, "settleTime");
      if (settleTime.isNegative()) {
        throw new IllegalArgumentException("settleTime must not be negative");
      }
      this.settleTime = settleTime;
      return this;
    }

    /**
     * How many losses and findings the report keeps in memory (all are counted, listened to and
     * written). Default 10,000.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder retainLosses(int retain) {
      if (retain < 0) {
        throw new IllegalArgumentException("retain must not be negative, was " + retain);
      }
      this.retain = retain;
      return this;
    }

    /** Called every {@code every} items checked and once at the end. */
    public Builder progress(Consumer<Progress> progress, long every) {
      if (every < 1) {
        throw new IllegalArgumentException("every must be >= 1, was " + every);
      }
      this.progress = Objects.requireNonNull(progress, "progress");
      this.progressEvery = every;
      return this;
    }

    /** Adds a listener for lost writes. */
    public Builder listener(WriteListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * @throws IllegalStateException if a required setting is missing, or repairs are asked of a
     *     table that does not write this ledger (its repairs would not be recorded, and would be
     *     re-applied by every later run)
     */
    public Reconciler build() {
      if (ledger == null || ledgerClient == null || table == null) {
        throw new IllegalStateException("ledger, ledgerClient and table are required");
      }
      boolean sameLedger =
          table.ledger().map(l -> l.tableName().equals(ledger.tableName())).orElse(false);
      if (mode == RepairMode.APPLY && !sameLedger) {
        throw new IllegalStateException(
            "RepairMode.APPLY needs a table built with this ledger, so that repairs are recorded");
      }
      return new Reconciler(this);
    }

    private static int positive(int value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be >= 1, was " + value);
      }
      return value;
    }
  }
}
