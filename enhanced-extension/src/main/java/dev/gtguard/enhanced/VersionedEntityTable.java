package dev.gtguard.enhanced;

import dev.gtguard.ItemKey;
import dev.gtguard.ReadConsistency;
import dev.gtguard.VersionedTable;
import dev.gtguard.enhanced.internal.EntityModel;
import dev.gtguard.exception.InvalidItemException;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedResponse;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedResponse;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedResponse;

/**
 * A table of {@link Versioned} entities that <b>is</b> a {@link DynamoDbTable}: existing Enhanced
 * Client code keeps calling {@code putItem}, {@code updateItem}, {@code deleteItem}, {@code
 * getItem}, {@code query} and {@code scan}, and every write becomes a versioned, conditional write
 * through a core {@link VersionedTable}, routed to the item's home region. Thread-safe; make one
 * per table with {@link GlobalTablesExtension#table} and share it.
 *
 * <pre>{@code
 * DynamoDbTable<Customer> customers =
 *     globalTables.table(enhanced.table("customers", TableSchema.fromBean(Customer.class)));
 * customers.putItem(customer);                  // version null: a create, only if the key is free
 * Customer read = customers.getItem(key);       // reads are the Enhanced Client's own
 * read.setDeliveryAddress("221B Baker Street");
 * Customer saved = customers.updateItem(read);  // only if still at read's version
 * customers.deleteItem(saved);                  // only if still at saved's version
 * }</pre>
 *
 * <p>Where it differs from the Enhanced Client's own table:
 *
 * <ul>
 *   <li>{@code putItem(entity)} and {@code updateItem(entity)} both <i>save</i>: an entity without
 *       a version is created (refused with {@code ItemAlreadyExistsException} if the key is taken);
 *       an entity with one is written only while the item is still at that version (and write
 *       token, when the entity maps one), else {@code VersionConflictException}. The stored item is
 *       read first (in its home region, strongly consistent) and only the attributes that differ
 *       are written: attributes the entity does not map are kept, where the SDK's {@code putItem}
 *       would remove them. A save costs a read and a write.
 *   <li>{@code deleteItem(entity)} is conditional on the entity's version; {@code deleteItem(key)}
 *       deletes the item as read in its home region and fails with {@code VersionConflictException}
 *       if a write lands in between. Both return the entity as deleted ({@code deleteItem(key)}
 *       null when there was no item).
 *   <li>Requests with a condition expression or return-value options other than the defaults are
 *       refused with {@code UnsupportedOperationException}, writing nothing; {@code
 *       updateItem(request)} honours {@code ignoreNulls}.
 *   <li>Writes throw this library's exceptions ({@code dev.gtguard.exception}), not the SDK's
 *       {@code ConditionalCheckFailedException}.
 * </ul>
 *
 * <p>To resolve a conflict instead of failing on it, use the read-modify-retry {@link #update(Key,
 * UnaryOperator)}: it reads the item in its home region, maps it to an entity, applies your
 * function and writes only what differs; on a conflict the function runs again on the current item,
 * so it must derive everything from its argument. A property set to {@code null} removes its
 * attribute. The function must not change the version or write token.
 *
 * <pre>{@code
 * Customer moved = customers.update(key, c -> {
 *   c.setDeliveryAddress("221B Baker Street");
 *   return c;
 * });
 * }</pre>
 *
 * <p>Entities returned by a write carry the new version (and write token, when mapped); the
 * entities passed in are never modified.
 */
public final class VersionedEntityTable<T> extends DelegatingTable<T> {
  private final VersionedTable core;
  private final CoreTable calls;
  private final EntityWrites<T> writes;

  VersionedEntityTable(DynamoDbTable<T> table, EntityModel model, VersionedTable core) {
    super(table);
    this.core = core;
    this.calls = CoreTable.of(core);
    this.writes = new EntityWrites<>(table.tableName(), table.tableSchema(), model);
  }

  /** The Enhanced Client table this one wraps: its plain writes are refused by the extension. */
  public DynamoDbTable<T> dynamoDbTable() {
    return table;
  }

  /**
   * The core table every write is delegated to: for a {@link dev.gtguard.ledger.Reconciler}, a
   * {@link dev.gtguard.batch.HomeRegionBatch}, or the map-level API.
   */
  public VersionedTable versionedTable() {
    return core;
  }

  /**
   * Reads an entity from the local region, eventually consistent.
   *
   * @throws InvalidItemException if the key does not match the table's key schema
   */
  public Optional<T> get(Key key) {
    return get(key, ReadConsistency.EVENTUAL);
  }

  /**
   * Reads an entity, eventually consistent from the local region or strongly consistent from its
   * home region.
   *
   * @throws InvalidItemException if the key does not match the table's key schema
   */
  public Optional<T> get(Key key, ReadConsistency consistency) {
    return CoreTable.join(writes.get(calls, key, consistency));
  }

  /**
   * Creates the entity at version 1, in its home region, only if its key is free. Leave its version
   * {@code null} (or 0) and its write token {@code null}.
   *
   * @return the stored entity, with its version and write token
   * @throws dev.gtguard.exception.ItemAlreadyExistsException if the key is taken
   * @throws InvalidItemException if the entity breaks an input rule; nothing is written
   * @see VersionedTable#create
   */
  public T create(T entity) {
    return CoreTable.join(writes.create(calls, entity));
  }

  /**
   * Creates the entity if it has no version, else writes what differs from the stored item only
   * while the item is at the entity's version: see the class comment.
   *
   * @return the stored entity, with its new version
   * @throws dev.gtguard.exception.ItemAlreadyExistsException if it has no version and the key is
   *     taken
   * @throws dev.gtguard.exception.VersionConflictException if the item is at another version
   * @throws dev.gtguard.exception.ItemNotFoundException if it has a version and there is no item
   * @throws InvalidItemException if the entity breaks an input rule; nothing is written
   */
  public T save(T entity) {
    return CoreTable.join(writes.save(calls, entity, false));
  }

  /**
   * Read-modify-retry of one entity; see the class comment.
   *
   * @param function turns the current entity into the wanted one
   * @return the stored entity, with its new version and write token (or as read, when the function
   *     changed nothing)
   * @throws dev.gtguard.exception.ItemNotFoundException if there is no such item
   * @throws dev.gtguard.exception.RetriesExhaustedException if every attempt lost a conflict
   * @throws InvalidItemException if the changes break an input rule; nothing is written
   * @see VersionedTable#update(ItemKey, dev.gtguard.UpdateFunction)
   */
  public T update(Key key, UnaryOperator<T> function) {
    return updateWithResult(key, function).entity();
  }

  /**
   * As {@link #update(Key, UnaryOperator)}, also returning the number of attempts and any lost
   * writes the update found on its way.
   */
  public EntityUpdateResult<T> updateWithResult(Key key, UnaryOperator<T> function) {
    return CoreTable.join(writes.update(calls, key, function));
  }

  /**
   * Deletes the entity's item if it is still at the entity's version (and write token, when the
   * entity maps it); as {@link #deleteItem(Object)}, without returning the entity.
   *
   * @throws dev.gtguard.exception.VersionConflictException if another write got there first
   * @throws dev.gtguard.exception.ItemNotFoundException if there is no such item
   * @throws InvalidItemException if the entity has no version (it was never read or written)
   */
  public void delete(T entity) {
    CoreTable.join(writes.delete(calls, entity));
  }

  /**
   * Moves an entity's home region (a {@link HomeRegion#attribute()} home), safely against
   * concurrent writers.
   *
   * @return the entity as stored in its new home
   * @see VersionedTable#moveHome
   */
  public T moveHome(Key key, String newHome) {
    return CoreTable.join(writes.moveHome(calls, key, newHome));
  }

  /** A versioned save; see {@link #save}. */
  @Override
  public void putItem(T item) {
    save(item);
  }

  /**
   * A versioned save of the request's item; see {@link #save}.
   *
   * @throws UnsupportedOperationException if the request sets anything but the item
   */
  @Override
  public void putItem(PutItemEnhancedRequest<T> request) {
    putItemWithResponse(request);
  }

  /**
   * A versioned save of the request's item; the response carries no attributes.
   *
   * @throws UnsupportedOperationException if the request sets anything but the item
   */
  @Override
  public PutItemEnhancedResponse<T> putItemWithResponse(PutItemEnhancedRequest<T> request) {
    CoreTable.join(writes.putRequest(calls, request));
    return PutItemEnhancedResponse.builder(itemClass()).build();
  }

  /**
   * A versioned save; see {@link #save}.
   *
   * @return the stored entity, with its new version
   */
  @Override
  public T updateItem(T item) {
    return save(item);
  }

  /**
   * A versioned save of the request's item; with {@code ignoreNulls}, null properties leave their
   * attributes as they are.
   *
   * @throws UnsupportedOperationException if the request sets anything but the item and {@code
   *     ignoreNulls}
   */
  @Override
  public T updateItem(UpdateItemEnhancedRequest<T> request) {
    return updateItemWithResponse(request).attributes();
  }

  /** As {@link #updateItem(UpdateItemEnhancedRequest)}, the stored entity in the response. */
  @Override
  public UpdateItemEnhancedResponse<T> updateItemWithResponse(
      UpdateItemEnhancedRequest<T> request) {
    T saved = CoreTable.join(writes.updateRequest(calls, request));
    return UpdateItemEnhancedResponse.<T>builder(itemClass()).attributes(saved).build();
  }

  /**
   * Deletes the item only if it is still at the entity's version.
   *
   * @return the entity, as deleted
   * @throws dev.gtguard.exception.VersionConflictException if another write got there first
   * @throws dev.gtguard.exception.ItemNotFoundException if there is no such item
   * @throws InvalidItemException if the entity has no version (it was never read or written)
   */
  @Override
  public T deleteItem(T keyItem) {
    return CoreTable.join(writes.delete(calls, keyItem));
  }

  /**
   * Deletes the item as it is now in its home region: read, then deleted only if no write came in
   * between.
   *
   * @return the deleted entity, or null if there was no item
   * @throws dev.gtguard.exception.VersionConflictException if a write came in between
   */
  @Override
  public T deleteItem(Key key) {
    return CoreTable.join(writes.delete(calls, key));
  }

  /**
   * As {@link #deleteItem(Key)}, for the request's key.
   *
   * @throws UnsupportedOperationException if the request sets anything but the key
   */
  @Override
  public T deleteItem(DeleteItemEnhancedRequest request) {
    return deleteItemWithResponse(request).attributes();
  }

  /** As {@link #deleteItem(DeleteItemEnhancedRequest)}, the deleted entity in the response. */
  @Override
  public DeleteItemEnhancedResponse<T> deleteItemWithResponse(DeleteItemEnhancedRequest request) {
    T deleted = CoreTable.join(writes.deleteRequest(calls, request));
    return DeleteItemEnhancedResponse.builder(itemClass()).attributes(deleted).build();
  }
}
