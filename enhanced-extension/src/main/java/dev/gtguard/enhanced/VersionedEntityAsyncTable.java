package dev.gtguard.enhanced;

import dev.gtguard.AsyncVersionedTable;
import dev.gtguard.ReadConsistency;
import dev.gtguard.enhanced.internal.EntityModel;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.OutcomeUnknownException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbAsyncTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedResponse;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedResponse;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedResponse;

/**
 * {@link VersionedEntityTable} on the asynchronous Enhanced Client: a table of {@link Versioned}
 * entities that <b>is</b> a {@link DynamoDbAsyncTable}, whose every write is a versioned,
 * conditional write through a core {@link AsyncVersionedTable}, routed to the item's home region.
 * The same decisions as the blocking table (one implementation serves both), the same requests, the
 * same exceptions; each method returns a {@link CompletableFuture} instead. Thread-safe; make one
 * per table with {@link GlobalTablesExtension#table(DynamoDbAsyncTable)} and share it.
 *
 * <pre>{@code
 * GlobalTablesExtension globalTables = GlobalTablesExtension.builder().client(dynamoDbAsync).build();
 * DynamoDbEnhancedAsyncClient enhanced = globalTables.enhancedAsyncClient();
 * VersionedEntityAsyncTable<Customer> customers =
 *     globalTables.table(enhanced.table("customers", TableSchema.fromBean(Customer.class)));
 *
 * customers.putItem(customer)                              // version null: a create
 *     .thenCompose(done -> customers.getItem(key))         // reads are the Enhanced Client's own
 *     .thenCompose(read -> {
 *       read.setDeliveryAddress("221B Baker Street");
 *       return customers.updateItem(read);                 // only if still at read's version
 *     })
 *     .thenAccept(saved -> log.info("now at version {}", saved.getVersion()));
 * }</pre>
 *
 * <p>{@code putItem}, {@code updateItem} and {@code deleteItem} behave exactly as on {@link
 * VersionedEntityTable} (see there): a save reads the stored item in its home region and writes
 * only what differs, conditional on the entity's version; deletes are conditional; requests with a
 * condition or return-value options are refused. Conflicts resolve with the read-modify-retry
 * {@link #update(Key, UnaryOperator)}:
 *
 * <pre>{@code
 * customers.update(key, c -> {
 *   c.setDeliveryAddress("221B Baker Street");
 *   return c;
 * });
 * }</pre>
 *
 * <p><b>Failures.</b> Nothing is thrown: every failure completes the returned future exceptionally,
 * bad input included (an {@link InvalidItemException}, a refused request's {@code
 * UnsupportedOperationException}, a null argument's {@code NullPointerException}; nothing is sent),
 * with the very exception {@link VersionedEntityTable} throws, not wrapped ({@code join()} wraps it
 * once in {@code CompletionException}). An entity whose annotations break a rule, or a client
 * without the extension, is refused when the table is made, with {@link InvalidEntityException}.
 *
 * <p><b>Threads.</b> As on {@link AsyncVersionedTable}: the update function of {@link #update(Key,
 * UnaryOperator)} (every call, the first too), the save's comparison of entity and stored item, the
 * mapping of the stored item to the returned entity, listeners and the completion of the returned
 * future run on the executor of the core table ({@code options.executor(...)} in {@link
 * GlobalTablesExtension#table(DynamoDbAsyncTable, java.util.function.Consumer)}, default {@link
 * java.util.concurrent.ForkJoinPool#commonPool()}), never on an SDK thread. Mapping and checking
 * the entity passed in runs on the calling thread. Retries wait on the core table's scheduler; no
 * thread sleeps. Reads, queries and scans delegated to the Enhanced Client complete as its own do.
 *
 * <p><b>Cancellation.</b> Cancelling a returned future (or completing it yourself, e.g. with {@code
 * orTimeout}) stops the operation: no further request is started. Before its write was started it
 * is cancelled: nothing was written. Once the write was started, it ends as the core write's future
 * does: cancelled if no attempt may have been applied, else exceptionally with {@link
 * OutcomeUnknownException}, and {@code cancel} returns false. A sent attempt is never reported as
 * not written. Cancel the future this table returned, not a stage derived from it.
 *
 * <p>Entities returned by a write carry the new version (and write token, when mapped); the
 * entities passed in are never modified.
 */
public final class VersionedEntityAsyncTable<T> extends DelegatingAsyncTable<T> {
  private final AsyncVersionedTable core;
  private final CoreTable calls;
  private final EntityWrites<T> writes;

  VersionedEntityAsyncTable(
      DynamoDbAsyncTable<T> table, EntityModel model, AsyncVersionedTable core) {
    super(table);
    this.core = core;
    this.calls = CoreTable.of(core);
    this.writes = new EntityWrites<>(table.tableName(), table.tableSchema(), model);
  }

  /** The Enhanced Client table this one wraps: its plain writes are refused by the extension. */
  public DynamoDbAsyncTable<T> dynamoDbTable() {
    return table;
  }

  /**
   * The core table every write is delegated to: the map-level API ({@code repair}, single-shot
   * updates with conditions), and the {@link AsyncVersionedTable#description() description}
   * detectors need.
   */
  public AsyncVersionedTable versionedTable() {
    return core;
  }

  /** Reads an entity from the local region, eventually consistent. */
  public CompletableFuture<Optional<T>> get(Key key) {
    return get(key, ReadConsistency.EVENTUAL);
  }

  /**
   * Reads an entity, eventually consistent from the local region or strongly consistent from its
   * home region. See {@link VersionedEntityTable#get(Key, ReadConsistency)}.
   */
  public CompletableFuture<Optional<T>> get(Key key, ReadConsistency consistency) {
    return run(core -> writes.get(core, key, consistency));
  }

  /**
   * Creates the entity at version 1, in its home region, only if its key is free. See {@link
   * VersionedEntityTable#create}.
   *
   * @return the stored entity, with its version and write token
   */
  public CompletableFuture<T> create(T entity) {
    return run(core -> writes.create(core, entity));
  }

  /**
   * Creates the entity if it has no version, else writes what differs from the stored item only
   * while the item is at the entity's version. See {@link VersionedEntityTable#save}.
   *
   * @return the stored entity, with its new version
   */
  public CompletableFuture<T> save(T entity) {
    return run(core -> writes.save(core, entity, false));
  }

  /**
   * Read-modify-retry of one entity: the function runs on the core table's executor, once per
   * attempt, and must derive everything from its argument. See {@link
   * VersionedEntityTable#update(Key, UnaryOperator)}.
   *
   * @return the stored entity, with its new version and write token (or as read, when the function
   *     changed nothing)
   */
  public CompletableFuture<T> update(Key key, UnaryOperator<T> function) {
    return run(core -> writes.update(core, key, function).thenApply(EntityUpdateResult::entity));
  }

  /**
   * As {@link #update(Key, UnaryOperator)}, also returning the number of attempts and any lost
   * writes the update found on its way.
   */
  public CompletableFuture<EntityUpdateResult<T>> updateWithResult(
      Key key, UnaryOperator<T> function) {
    return run(core -> writes.update(core, key, function));
  }

  /**
   * Deletes the entity's item if it is still at the entity's version. See {@link
   * VersionedEntityTable#delete}.
   */
  public CompletableFuture<Void> delete(T entity) {
    return run(core -> writes.delete(core, entity).thenApply(deleted -> null));
  }

  /**
   * Moves an entity's home region (a {@link HomeRegion#attribute()} home). See {@link
   * VersionedEntityTable#moveHome}.
   *
   * @return the entity as stored in its new home
   */
  public CompletableFuture<T> moveHome(Key key, String newHome) {
    return run(core -> writes.moveHome(core, key, newHome));
  }

  /** A versioned save; see {@link #save}. */
  @Override
  public CompletableFuture<Void> putItem(T item) {
    return run(core -> writes.save(core, item, false).thenApply(saved -> null));
  }

  /**
   * A versioned save of the request's item; fails with {@code UnsupportedOperationException} if the
   * request sets anything but the item.
   */
  @Override
  public CompletableFuture<Void> putItem(PutItemEnhancedRequest<T> request) {
    return run(core -> writes.putRequest(core, request).thenApply(saved -> null));
  }

  /** As {@link #putItem(PutItemEnhancedRequest)}; the response carries no attributes. */
  @Override
  public CompletableFuture<PutItemEnhancedResponse<T>> putItemWithResponse(
      PutItemEnhancedRequest<T> request) {
    return run(
        core ->
            writes
                .putRequest(core, request)
                .thenApply(saved -> PutItemEnhancedResponse.builder(itemClass()).build()));
  }

  /**
   * A versioned save; see {@link #save}.
   *
   * @return the stored entity, with its new version
   */
  @Override
  public CompletableFuture<T> updateItem(T item) {
    return save(item);
  }

  /**
   * A versioned save of the request's item; with {@code ignoreNulls}, null properties leave their
   * attributes as they are. Fails with {@code UnsupportedOperationException} if the request sets
   * anything but the item and {@code ignoreNulls}.
   */
  @Override
  public CompletableFuture<T> updateItem(UpdateItemEnhancedRequest<T> request) {
    return run(core -> writes.updateRequest(core, request));
  }

  /** As {@link #updateItem(UpdateItemEnhancedRequest)}, the stored entity in the response. */
  @Override
  public CompletableFuture<UpdateItemEnhancedResponse<T>> updateItemWithResponse(
      UpdateItemEnhancedRequest<T> request) {
    return run(
        core ->
            writes
                .updateRequest(core, request)
                .thenApply(
                    saved ->
                        UpdateItemEnhancedResponse.<T>builder(itemClass())
                            .attributes(saved)
                            .build()));
  }

  /**
   * Deletes the item only if it is still at the entity's version; see {@link
   * VersionedEntityTable#deleteItem(Object)}.
   *
   * @return the entity, as deleted
   */
  @Override
  public CompletableFuture<T> deleteItem(T keyItem) {
    return run(core -> writes.delete(core, keyItem));
  }

  /**
   * Deletes the item as it is now in its home region: read, then deleted only if no write came in
   * between; see {@link VersionedEntityTable#deleteItem(Key)}.
   *
   * @return the deleted entity, or null if there was no item
   */
  @Override
  public CompletableFuture<T> deleteItem(Key key) {
    return run(core -> writes.delete(core, key));
  }

  /**
   * As {@link #deleteItem(Key)}, for the request's key; fails with {@code
   * UnsupportedOperationException} if the request sets anything but the key.
   */
  @Override
  public CompletableFuture<T> deleteItem(DeleteItemEnhancedRequest request) {
    return run(core -> writes.deleteRequest(core, request));
  }

  /** As {@link #deleteItem(DeleteItemEnhancedRequest)}, the deleted entity in the response. */
  @Override
  public CompletableFuture<DeleteItemEnhancedResponse<T>> deleteItemWithResponse(
      DeleteItemEnhancedRequest request) {
    return run(
        core ->
            writes
                .deleteRequest(core, request)
                .thenApply(
                    deleted ->
                        DeleteItemEnhancedResponse.builder(itemClass())
                            .attributes(deleted)
                            .build()));
  }

  private <R> CompletableFuture<R> run(Function<CoreTable, CompletableFuture<R>> operation) {
    return EntityFuture.run(calls, operation);
  }
}
