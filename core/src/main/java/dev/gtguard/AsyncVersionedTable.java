package dev.gtguard;

import dev.gtguard.exception.ItemNotFoundException;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.exception.VersionConflictException;
import dev.gtguard.internal.InputRules;
import dev.gtguard.internal.write.AsyncTransport;
import dev.gtguard.internal.write.WriteLoop.Written;
import dev.gtguard.internal.write.WritePipeline;
import dev.gtguard.internal.write.WriteRequests;
import dev.gtguard.ledger.WriteLedger;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * {@link VersionedTable} on {@code DynamoDbAsyncClient}: the same writes, conditions, request
 * counts, routing, failover, write ledger, next-write detection, outcome resolution and listeners,
 * returning {@link CompletableFuture}s. Both tables run one implementation of every decision; only
 * sending and waiting differ. Thread-safe; build one per table and share it.
 *
 * <pre>{@code
 * AsyncVersionedTable subscribers = AsyncVersionedTable.builder()
 *     .client(dynamoDbAsync)
 *     .tableName("subscribers")
 *     .partitionKey("pk")
 *     .build();
 *
 * subscribers
 *     .update(ItemKey.of("pk", "sub#1"), item -> Changes.builder()
 *         .set("count", Long.parseLong(item.get("count").n()) + 1)
 *         .build())
 *     .thenAccept(result -> log.info("now at version {}", result.item().version()));
 * }</pre>
 *
 * <p><b>Failures.</b> Every failure completes the returned future exceptionally, bad input included
 * (nothing is thrown, nothing is sent): with the very exception {@link VersionedTable} throws
 * ({@link VersionConflictException}, {@link OutcomeUnknownException}, ...), not wrapped; {@code
 * join()} wraps it once in {@code CompletionException}, {@code get()} in {@code
 * ExecutionException}, as with the SDK's own asynchronous client.
 *
 * <p><b>Threads.</b> The update function, the library's decisions, listeners and the completion of
 * the returned future run on the builder's {@link AsyncVersionedTableBuilder#executor executor}
 * (default: {@link java.util.concurrent.ForkJoinPool#commonPool()}), never on an SDK thread (a
 * Netty event loop): the SDK's completions are handed over to it. For {@code update(key, fn)} the
 * function's first call, too, follows the read on the executor. Retries wait on the {@link
 * AsyncVersionedTableBuilder#scheduler scheduler}, which only hands the next attempt to the
 * executor: no thread sleeps, and no thread is held per write.
 *
 * <p><b>Cancellation.</b> Cancelling a returned write future (or completing it yourself, e.g. with
 * {@code orTimeout}) stops the write: no further attempt is sent. If no attempt may have been
 * applied, the future is cancelled: nothing was written. If an attempt was sent and is not proven
 * refused, it completes exceptionally with {@link OutcomeUnknownException} instead, naming the open
 * write tokens, and {@code cancel} returns false: a sent attempt is never reported as not written.
 * Cancel the future this table returned, not a stage derived from it: cancelling a derived stage
 * does not reach the write.
 *
 * <p>{@link dev.gtguard.exception.WriteInterruptedException} is never produced: no thread of the
 * caller waits.
 */
public final class AsyncVersionedTable {
  private final TableDescription description;
  private final RegionClients regions;
  private final ConflictRetryPolicy retryPolicy;
  private final WriteLedger ledger;
  private final WritePipeline pipeline;
  private final InputRules rules;
  private final WriteRequests requests;

  AsyncVersionedTable(AsyncVersionedTableBuilder b, TableDescription description) {
    TableSettings settings = b.settings;
    this.description = description;
    this.regions = settings.regions;
    this.retryPolicy = settings.retryPolicy;
    this.ledger = settings.ledger;
    this.pipeline =
        settings.pipeline(description, new AsyncTransport(regions, b.executor, b.scheduler));
    this.rules = pipeline.rules();
    this.requests = pipeline.requests();
  }

  /**
   * A builder; {@code client} (or {@code clients}) and the table ({@code table}, or {@code
   * tableName} and {@code partitionKey}) are required.
   */
  public static AsyncVersionedTableBuilder builder() {
    return new AsyncVersionedTableBuilder();
  }

  /** The table's name. */
  public String tableName() {
    return description.tableName();
  }

  /** The table's name, keys and managed attributes. */
  public TableDescription description() {
    return description;
  }

  /** The local region: where plain reads go, and writes of items whose home it is. */
  public String region() {
    return regions.localRegion();
  }

  /** The write ledger every write of this table appends to, if any. */
  public Optional<WriteLedger> ledger() {
    return Optional.ofNullable(ledger);
  }

  /** The retry policy of {@link #update(ItemKey, UpdateFunction)}. */
  public ConflictRetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** See {@link VersionedTable#sameItemUpdates()}. */
  public SameItemUpdates sameItemUpdates() {
    return pipeline.sameItemUpdates();
  }

  /** Reads an item from the local region, eventually consistent. */
  public CompletableFuture<Optional<VersionedItem>> get(ItemKey key) {
    return get(key, ReadConsistency.EVENTUAL);
  }

  /** See {@link VersionedTable#get(ItemKey, ReadConsistency)}. */
  public CompletableFuture<Optional<VersionedItem>> get(ItemKey key, ReadConsistency consistency) {
    return checked(() -> pipeline.get(key, consistency));
  }

  /** See {@link VersionedTable#create}. */
  public CompletableFuture<VersionedItem> create(Map<String, AttributeValue> item) {
    return checked(() -> pipeline.start(requests.create(item), Written::item));
  }

  /** See {@link VersionedTable#update(ItemKey, UpdateFunction)}. */
  public CompletableFuture<UpdateResult> update(ItemKey key, UpdateFunction function) {
    return checked(() -> pipeline.startUpdate(key, function, AsyncVersionedTable::result));
  }

  /** See {@link VersionedTable#update(VersionedItem, UpdateFunction)}. */
  public CompletableFuture<UpdateResult> update(VersionedItem held, UpdateFunction function) {
    return checked(() -> pipeline.startUpdate(held, function, AsyncVersionedTable::result));
  }

  /** See {@link VersionedTable#update(ItemKey, ExpectedVersion, Changes)}. */
  public CompletableFuture<VersionedItem> update(
      ItemKey key, ExpectedVersion expected, Changes changes) {
    return checked(() -> pipeline.start(requests.update(key, expected, changes), Written::item));
  }

  /** See {@link VersionedTable#repair}. */
  public CompletableFuture<VersionedItem> repair(LostWrite lost) {
    return checked(() -> pipeline.start(requests.repair(lost), Written::item));
  }

  /**
   * See {@link VersionedTable#delete}: completes exceptionally with {@link ItemNotFoundException}
   * or {@link VersionConflictException}.
   */
  public CompletableFuture<Void> delete(ItemKey key, ExpectedVersion expected) {
    return checked(() -> pipeline.start(requests.delete(key, expected), written -> null));
  }

  /** See {@link VersionedTable#moveHome}. */
  public CompletableFuture<UpdateResult> moveHome(ItemKey key, String newHome) {
    return checked(
        () -> pipeline.start(requests.moveHome(key, newHome), AsyncVersionedTable::result));
  }

  /** See {@link VersionedTable#homeRegionOf(VersionedItem)}. */
  public String homeRegionOf(VersionedItem item) {
    return pipeline.homeRegionOf(item);
  }

  /**
   * Every item of the local replica, eventually consistent, page by page as the subscriber asks.
   *
   * <pre>{@code
   * subscribers.scanLocal().subscribe(item -> index(item)).join();
   * }</pre>
   */
  public SdkPublisher<VersionedItem> scanLocal() {
    return regions
        .asyncLocal()
        .scanPaginator(ScanRequest.builder().tableName(description.tableName()).build())
        .items()
        .map(item -> pipeline.codec().read(item, rules.keyOf(item)));
  }

  private static UpdateResult result(Written written) {
    return new UpdateResult(written.item(), written.attempts(), written.lost());
  }

  /** What {@code call} returns, or a future failed with what it threw: nothing is thrown. */
  private static <T> CompletableFuture<T> checked(Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
