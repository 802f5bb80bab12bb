package dev.gtguard;

import dev.gtguard.exception.HomeRegionUnavailableException;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.ItemAlreadyExistsException;
import dev.gtguard.exception.ItemNotFoundException;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.exception.UnknownRegionException;
import dev.gtguard.exception.VersionConflictException;
import dev.gtguard.internal.InputRules;
import dev.gtguard.internal.write.BlockingTransport;
import dev.gtguard.internal.write.Futures;
import dev.gtguard.internal.write.Router;
import dev.gtguard.internal.write.Router.Routed;
import dev.gtguard.internal.write.Waiter;
import dev.gtguard.internal.write.WriteLoop.Written;
import dev.gtguard.internal.write.WritePipeline;
import dev.gtguard.internal.write.WriteRequests;
import dev.gtguard.ledger.WriteLedger;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * A DynamoDB table whose items carry a version and a write token, so that concurrent writers never
 * overwrite each other's changes unnoticed. Thread-safe; build one per table and share it.
 *
 * <p>Every write is conditional on the version and write token the writer last saw:
 *
 * <ul>
 *   <li>{@link #create} puts a new item at version 1 with {@code attribute_not_exists(<pk>)};
 *   <li>{@link #update(ItemKey, UpdateFunction)} reads the item (strongly consistent), applies your
 *       function, and sends one {@code UpdateItem} that sets only the changed attributes plus the
 *       next version and a fresh write token. When another writer got in first, the write is sent
 *       again after a full-jitter pause, on the item read again (strongly consistent): after a
 *       pause the item DynamoDB returned with the refusal ({@code
 *       ReturnValuesOnConditionCheckFailure=ALL_OLD}) is as old as the pause, and retries on it
 *       lose again far more often (see {@link ConflictRetryPolicy#immediateRetries()} to retry at
 *       once on that item instead). Concurrent updates of one item through this table wait for each
 *       other instead of competing ({@link SameItemUpdates#QUEUED}, the default), or share writes
 *       ({@link SameItemUpdates#COMBINED});
 *   <li>{@link #update(ItemKey, ExpectedVersion, Changes)} and {@link #delete} write once and throw
 *       {@link VersionConflictException} when the item moved on.
 * </ul>
 *
 * <p>Every outcome is reported truly. When a response is lost (a timeout, a dropped connection, a
 * 5xx after the SDK's own retries), the item is read where it was written and its write token says
 * whether the write is in it; a function is never applied twice. Besides the exceptions each method
 * names, every write may end in: {@link InvalidItemException} (bad input, nothing written), {@link
 * UnknownRegionException} (a home that is not configured), {@link HomeRegionUnavailableException}
 * (the home provably unreachable, policy {@code FAIL}, nothing written), {@link
 * OutcomeUnknownException} (a lost response the library cannot resolve: it may or may not have been
 * applied) and {@link dev.gtguard.exception.WriteInterruptedException}.
 *
 * <pre>{@code
 * VersionedTable subscribers = VersionedTable.builder()
 *     .client(dynamoDb)
 *     .tableName("subscribers")
 *     .partitionKey("pk")
 *     .build();
 *
 * subscribers.create(Map.of("pk", AttributeValue.fromS("sub#1"), "count", AttributeValue.fromN("0")));
 * subscribers.update(ItemKey.of("pk", "sub#1"), item -> Changes.builder()
 *     .set("count", Long.parseLong(item.get("count").n()) + 1)
 *     .build());
 * }</pre>
 *
 * <p>Within one region this prevents lost updates. Across the regions of a Global Table a
 * conditional write is checked only against the local replica, so two regions can still both win;
 * the write token makes such an overwrite visible at the next write. Routing each contested item's
 * writes to one home region removes it.
 */
public final class VersionedTable {
  private final TableDescription description;
  private final RegionClients regions;
  private final ConflictRetryPolicy retryPolicy;
  private final WriteLedger ledger;
  private final WritePipeline pipeline;
  private final InputRules rules;
  private final WriteRequests requests;
  private final Router router;

  VersionedTable(TableSettings settings, TableDescription description) {
    this.description = description;
    this.regions = settings.regions;
    this.retryPolicy = settings.retryPolicy;
    this.ledger = settings.ledger;
    this.pipeline = settings.pipeline(description, new BlockingTransport(regions, Waiter.SLEEP));
    this.rules = pipeline.rules();
    this.requests = pipeline.requests();
    this.router = pipeline.router();
  }

  /**
   * A builder; {@code client} (or {@code clients}) and the table ({@code table}, or {@code
   * tableName} and {@code partitionKey}) are required.
   */
  public static VersionedTableBuilder builder() {
    return new VersionedTableBuilder();
  }

  /** The table's name. */
  public String tableName() {
    return description.tableName();
  }

  /** The table's name, keys and managed attributes, for detectors and reconcilers of this table. */
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

  /** How concurrent updates of one item run; see {@link VersionedTableBuilder#sameItemUpdates}. */
  public SameItemUpdates sameItemUpdates() {
    return pipeline.sameItemUpdates();
  }

  /**
   * Reads an item from the local region, eventually consistent.
   *
   * @throws InvalidItemException if the key does not match the table's key schema, or the stored
   *     version is not a number
   */
  public Optional<VersionedItem> get(ItemKey key) {
    return get(key, ReadConsistency.EVENTUAL);
  }

  /**
   * Reads an item: eventually consistent from the local region, or strongly consistent from the
   * item's home region, where its writes go.
   *
   * @throws InvalidItemException if the key does not match the table's key schema, or the stored
   *     version is not a number
   * @throws UnknownRegionException if a strong read's home region is not configured
   */
  public Optional<VersionedItem> get(ItemKey key, ReadConsistency consistency) {
    return Futures.join(pipeline.get(key, consistency));
  }

  /**
   * Puts a new item at version 1 with a fresh write token, only if no item with its key exists. It
   * is written in its home region; an item that names its own home (the attribute strategy) is
   * created in a region chosen from its key, so that two regions creating one key at once meet in
   * one conditional check, and its writes then go to the home it names.
   *
   * @param item every attribute of the new item, key included, version and token excluded
   * @return the stored item
   * @throws ItemAlreadyExistsException if the key is taken
   */
  public VersionedItem create(Map<String, AttributeValue> item) {
    return pipeline.run(requests.create(item)).item();
  }

  /**
   * Read-modify-retry in the item's home region: reads the item there (strongly consistent),
   * applies {@code function}, and writes only the changes it returns, conditional on the version
   * and write token it read. On a conflict the function is applied again to the item as it is now
   * (read again after the retry policy's pause, or the item returned with the refusal for an
   * immediate retry); it is never applied again on top of a write of its own.
   *
   * @return the stored item and the number of attempts
   * @throws ItemNotFoundException if the item does not exist
   * @throws dev.gtguard.exception.RetriesExhaustedException if every attempt the retry policy
   *     allows lost a conflict
   * @throws dev.gtguard.exception.ConditionNotMetException if a condition the function added is
   *     false
   */
  public UpdateResult update(ItemKey key, UpdateFunction function) {
    return result(pipeline.update(key, function));
  }

  /**
   * Read-modify-retry starting from an item the caller already holds, which saves the initial read.
   * If the held item is stale, the first write is refused and the function is applied to the
   * current item DynamoDB returns. A held state that a write of this library returned also tells
   * whether replication overwrote that write ({@link VersionedItem#writtenIn()}).
   *
   * @param held the item as the caller read or wrote it
   * @see #update(ItemKey, UpdateFunction) for the exceptions
   */
  public UpdateResult update(VersionedItem held, UpdateFunction function) {
    return result(pipeline.update(held, function));
  }

  /**
   * Single-shot update in the item's home region: one conditional write with the given changes, no
   * retry. With a write ledger the item is read first (strongly consistent, in its home), so that
   * the state returned is exactly the one written.
   *
   * @return the stored item. Rarely, when the response was lost and another write had already built
   *     on this one before the library could read it back, the attributes this update did not
   *     change are as that later state has them (without a ledger, nothing records them)
   * @throws VersionConflictException if the item is at another version or write token (or its home
   *     has moved)
   * @throws ItemNotFoundException if the item does not exist
   * @throws dev.gtguard.exception.ConditionNotMetException if the changes' own condition is false
   */
  public VersionedItem update(ItemKey key, ExpectedVersion expected, Changes changes) {
    return pipeline.run(requests.update(key, expected, changes)).item();
  }

  /**
   * Re-applies a lost write's remaining changes, conditional on the state the loss was judged
   * against ({@link LostWrite#survivingVersion()} and {@link LostWrite#survivingToken()}): if the
   * item has moved on since, nothing is written and {@link VersionConflictException} says so, so a
   * repair never overwrites newer data; judge the item again. With a ledger, the repair's entry
   * records the lost write's token, so that the reconciler stops reporting it once the repair
   * survives.
   *
   * @return the stored item
   * @throws IllegalArgumentException if the loss has nothing to re-apply, or no surviving state to
   *     be conditional on (the item was deleted, or its state was written without the library)
   * @throws VersionConflictException if the item is no longer in the judged state
   */
  public VersionedItem repair(LostWrite lost) {
    return pipeline.run(requests.repair(lost)).item();
  }

  /**
   * Deletes the item in its home region if it is still at the expected version and write token.
   *
   * @throws VersionConflictException if the item is at another version or write token
   * @throws ItemNotFoundException if the item does not exist
   */
  public void delete(ItemKey key, ExpectedVersion expected) {
    pipeline.run(requests.delete(key, expected));
  }

  /**
   * The home region of an item as held: where its writes go.
   *
   * @throws UnknownRegionException if it names no configured region
   */
  public String homeRegionOf(VersionedItem item) {
    return pipeline.homeRegionOf(item);
  }

  /**
   * The home region of the item with this key (with the attribute strategy, as the local replica
   * names it).
   *
   * @throws ItemNotFoundException if the attribute strategy needs the item and it is not in the
   *     local replica
   * @throws UnknownRegionException if it names no configured region
   */
  public String homeRegionOf(ItemKey key) {
    rules.validate(key);
    return routeByKey(key).route().region();
  }

  /**
   * Every item of the local replica, eventually consistent, fetched page by page as the stream is
   * consumed: the usual input of a {@link dev.gtguard.batch.HomeRegionBatch}.
   *
   * <pre>{@code
   * try (Stream<VersionedItem> items = subscribers.scanLocal()) {
   *   items.filter(i -> i.get("status").s().equals("ACTIVE")).forEach(...);
   * }
   * }</pre>
   */
  public Stream<VersionedItem> scanLocal() {
    return regions
        .local()
        .scanPaginator(ScanRequest.builder().tableName(description.tableName()).build())
        .items()
        .stream()
        .map(item -> pipeline.codec().read(item, rules.keyOf(item)));
  }

  /**
   * Moves an item's home to another region (attribute strategy only): a versioned update in the
   * current home that rewrites the home attribute. Writes that reach the former home afterwards are
   * refused there and follow the item; the new home accepts writes only once its replica shows the
   * move, so no write can slip in between the two regions.
   *
   * <pre>{@code
   * subscribers.moveHome(ItemKey.of("pk", "sub#4711"), "us-east-1");
   * }</pre>
   *
   * @throws IllegalStateException if the table does not use {@link
   *     HomeRegionStrategy#attribute(String)}
   * @throws UnknownRegionException if {@code newHome} is not configured
   */
  public UpdateResult moveHome(ItemKey key, String newHome) {
    return result(pipeline.run(requests.moveHome(key, newHome)));
  }

  private static UpdateResult result(Written written) {
    return new UpdateResult(written.item(), written.attempts(), written.lost());
  }

  private Routed routeByKey(ItemKey key) {
    return Futures.join(router.routeByKey(key, pipeline.reader()))
        .orElseThrow(() -> new ItemNotFoundException(tableName(), key, router.localRegion(), null));
  }
}
