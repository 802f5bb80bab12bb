package dev.gtguard.enhanced;

import dev.gtguard.Changes;
import dev.gtguard.ExpectedVersion;
import dev.gtguard.ItemKey;
import dev.gtguard.ReadConsistency;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.VersionedTableBuilder;
import dev.gtguard.enhanced.internal.EntityModel;
import dev.gtguard.enhanced.internal.HomeSpec;
import dev.gtguard.exception.InvalidItemException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A table of {@link Versioned} entities: the entity-level face of a core {@link VersionedTable}, to
 * which every call is delegated. Thread-safe; make one per table with {@link
 * GlobalTablesExtension#table} and share it.
 *
 * <pre>{@code
 * Customer created = customers.create(customer);                 // version 1, a write token
 * Customer moved = customers.update(Key.builder().partitionValue("c-42").build(), c -> {
 *   c.setDeliveryAddress("221B Baker Street");
 *   return c;
 * });                                                             // version 2, a new token
 * customers.delete(moved);                                        // only if still at version 2
 * }</pre>
 *
 * <p>An update reads the item (in its home region, strongly consistent), maps it to an entity,
 * applies your function and writes only the attributes whose values differ between the entity
 * before and after it: a property set to {@code null} removes its attribute, and attributes the
 * entity does not map are never touched. On a conflict the function runs again on the current item,
 * so it must derive everything from its argument. The function may change the entity it is given
 * and return it, or return another; it must not change the version or write token.
 *
 * <p>Entities returned by a write carry the new version and write token; the entities passed in are
 * never modified.
 */
public final class VersionedEntityTable<T> {
  private final DynamoDbTable<T> table;
  private final TableSchema<T> schema;
  private final EntityModel model;
  private final VersionedTable core;

  VersionedEntityTable(DynamoDbTable<T> table, EntityModel model, VersionedTable core) {
    this.table = table;
    this.schema = table.tableSchema();
    this.model = model;
    this.core = core;
  }

  /**
   * The core builder of a table of these entities: name, keys, managed attributes and home region
   * from the entity.
   */
  static VersionedTableBuilder coreBuilder(
      DynamoDbTable<?> table, EntityModel model, VersionedTableBuilder core) {
    core.table(model.describe(table.tableName()));
    HomeSpec home = model.home();
    if (home != null) {
      core.homeRegion(
          home.attribute() != null
              ? dev.gtguard.HomeRegion.attribute(home.attribute())
              : dev.gtguard.HomeRegion.byKey(key -> home.resolver().homeRegion(toKey(model, key))));
    }
    return core;
  }

  /** The table's name. */
  public String tableName() {
    return table.tableName();
  }

  /** The Enhanced Client table: for queries, scans and reads; its writes are refused. */
  public DynamoDbTable<T> dynamoDbTable() {
    return table;
  }

  /**
   * The core table every call is delegated to: for a {@link dev.gtguard.ledger.Reconciler}, a
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
    return core.get(itemKey(key)).map(this::toEntity);
  }

  /**
   * Reads an entity, eventually consistent from the local region or strongly consistent from its
   * home region.
   *
   * @throws InvalidItemException if the key does not match the table's key schema
   */
  public Optional<T> get(Key key, ReadConsistency consistency) {
    return core.get(itemKey(key), consistency).map(this::toEntity);
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
    Objects.requireNonNull(entity, "entity");
    Map<String, AttributeValue> item = new LinkedHashMap<>(schema.itemToMap(entity, true));
    AttributeValue version = item.get(model.versionAttribute());
    if (version != null && version.n() != null && Long.parseLong(version.n()) == 0) {
      item.remove(model.versionAttribute());
    }
    return toEntity(core.create(item));
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
    Objects.requireNonNull(function, "function");
    UpdateResult result = core.update(itemKey(key), current -> changes(current, function));
    return new EntityUpdateResult<>(
        toEntity(result.item()), result.attempts(), result.lostWrites());
  }

  /**
   * Deletes the entity's item if it is still at the entity's version and write token.
   *
   * @throws dev.gtguard.exception.VersionConflictException if another write got there first
   * @throws dev.gtguard.exception.ItemNotFoundException if there is no such item
   * @throws InvalidItemException if the entity has no version (it was never read or written)
   */
  public void delete(T entity) {
    Objects.requireNonNull(entity, "entity");
    ItemKey key = ItemKey.fromMap(schema.itemToMap(entity, schema.tableMetadata().primaryKeys()));
    AttributeValue version = schema.attributeValue(entity, model.versionAttribute());
    if (version == null || version.n() == null) {
      throw new InvalidItemException(
          InvalidItemException.Reason.VERSION_MISSING,
          "delete needs the version the entity was read at, and this "
              + model.entityName()
              + " has none: read it first",
          table.tableName(),
          key,
          null);
    }
    AttributeValue token = schema.attributeValue(entity, model.tokenAttribute());
    core.delete(
        key, new ExpectedVersion(Long.parseLong(version.n()), token == null ? null : token.s()));
  }

  /**
   * Moves an entity's home region (a {@link HomeRegion#attribute()} home), safely against
   * concurrent writers.
   *
   * @return the entity as stored in its new home
   * @see VersionedTable#moveHome
   */
  public T moveHome(Key key, String newHome) {
    return toEntity(core.moveHome(itemKey(key), newHome).item());
  }

  private Changes changes(VersionedItem current, UnaryOperator<T> function) {
    T entity = schema.mapToItem(current.attributes());
    Map<String, AttributeValue> before = schema.itemToMap(entity, true);
    T after =
        Objects.requireNonNull(
            function.apply(entity),
            "the update function returned null; return the entity, changed or not");
    return Changes.between(before, schema.itemToMap(after, true));
  }

  private T toEntity(VersionedItem item) {
    return schema.mapToItem(item.attributes());
  }

  private ItemKey itemKey(Key key) {
    Objects.requireNonNull(key, "key");
    return ItemKey.fromMap(key.keyMap(schema, TableMetadata.primaryIndexName()));
  }

  private static Key toKey(EntityModel model, ItemKey key) {
    Key.Builder builder = Key.builder().partitionValue(key.get(model.partitionKey()));
    if (model.sortKey() != null) {
      builder.sortValue(key.get(model.sortKey()));
    }
    return builder.build();
  }
}
