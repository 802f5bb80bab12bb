package dev.gtguard;

import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.spi.WriteListener;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * Builds an {@link AsyncVersionedTable}: the settings of {@link VersionedTableBuilder}, on
 * asynchronous clients, plus the threads. Each setter validates its argument at once ({@link
 * NullPointerException} for null, {@link IllegalArgumentException} for a bad value), {@link
 * #build()} checks the combination.
 *
 * <pre>{@code
 * AsyncVersionedTable subscribers = AsyncVersionedTable.builder()
 *     .client(DynamoDbAsyncClient.create())
 *     .tableName("subscribers")
 *     .partitionKey("pk")
 *     .executor(applicationExecutor)
 *     .build();
 * }</pre>
 */
public final class AsyncVersionedTableBuilder {
  final TableSettings settings = new TableSettings();
  Executor executor = ForkJoinPool.commonPool();
  ScheduledExecutorService scheduler;

  AsyncVersionedTableBuilder() {}

  /** A single region's client: every read and write goes there. This or {@link #clients}. */
  public AsyncVersionedTableBuilder client(DynamoDbAsyncClient client) {
    settings.regions = RegionClients.single(Objects.requireNonNull(client, "client"));
    return this;
  }

  /**
   * The clients of every region of the Global Table, each with a {@link DynamoDbAsyncClient}: plain
   * reads go to the local one, writes and strong reads to each item's {@link #homeRegion home}.
   * This or {@link #client}.
   */
  public AsyncVersionedTableBuilder clients(RegionClients regions) {
    settings.regions = Objects.requireNonNull(regions, "regions");
    return this;
  }

  /** See {@link VersionedTableBuilder#table}. */
  public AsyncVersionedTableBuilder table(TableDescription table) {
    settings.table(table);
    return this;
  }

  /** The table's name: shortcut for {@link TableDescription.Builder#tableName}. */
  public AsyncVersionedTableBuilder tableName(String tableName) {
    settings.table.tableName(tableName);
    return this;
  }

  /** The partition key: shortcut for {@link TableDescription.Builder#partitionKey}. */
  public AsyncVersionedTableBuilder partitionKey(String partitionKey) {
    settings.table.partitionKey(partitionKey);
    return this;
  }

  /** The sort key: shortcut for {@link TableDescription.Builder#sortKey}. */
  public AsyncVersionedTableBuilder sortKey(String sortKey) {
    settings.table.sortKey(sortKey);
    return this;
  }

  /** See {@link VersionedTableBuilder#homeRegion}. */
  public AsyncVersionedTableBuilder homeRegion(HomeRegionStrategy homeRegion) {
    settings.homeRegion = Objects.requireNonNull(homeRegion, "homeRegion");
    return this;
  }

  /** See {@link VersionedTableBuilder#ledger}. */
  public AsyncVersionedTableBuilder ledger(WriteLedger ledger) {
    settings.ledger = Objects.requireNonNull(ledger, "ledger");
    return this;
  }

  /** See {@link VersionedTableBuilder#failoverPolicy}. */
  public AsyncVersionedTableBuilder failoverPolicy(FailoverPolicy failoverPolicy) {
    settings.failoverPolicy = Objects.requireNonNull(failoverPolicy, "failoverPolicy");
    return this;
  }

  /** See {@link VersionedTableBuilder#retryPolicy}. */
  public AsyncVersionedTableBuilder retryPolicy(ConflictRetryPolicy retryPolicy) {
    settings.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    return this;
  }

  /**
   * See {@link VersionedTableBuilder#sameItemUpdates}. A queued update's function runs on the
   * {@link #executor}, as every function of this table does.
   */
  public AsyncVersionedTableBuilder sameItemUpdates(SameItemUpdates sameItemUpdates) {
    settings.sameItemUpdates = Objects.requireNonNull(sameItemUpdates, "sameItemUpdates");
    return this;
  }

  /** Adds a listener; listeners run on the {@link #executor}, in the order they were added. */
  public AsyncVersionedTableBuilder listener(WriteListener listener) {
    settings.listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Runs every step of a write: the update function, the library's decisions, listeners, and the
   * completion of the returned futures. SDK threads (a Netty event loop) only hand over to it.
   * Default {@link ForkJoinPool#commonPool()}; give an executor of your own if update functions or
   * listeners may block.
   */
  public AsyncVersionedTableBuilder executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /**
   * Spaces retries: it only hands the next attempt to the {@link #executor} when its pause is over,
   * and never runs anything else. Default: one daemon thread shared by every asynchronous table of
   * the JVM. Not shut down by the table.
   */
  public AsyncVersionedTableBuilder scheduler(ScheduledExecutorService scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return this;
  }

  /**
   * @throws IllegalStateException if a required setting is missing, a region has no asynchronous
   *     client, or two roles share one attribute name
   */
  public AsyncVersionedTable build() {
    return new AsyncVersionedTable(this, settings.check(true));
  }
}
