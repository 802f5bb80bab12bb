package dev.gtguard.enhanced;

import dev.gtguard.Changes;
import dev.gtguard.ExpectedVersion;
import dev.gtguard.HomeRegionStrategy;
import dev.gtguard.ItemKey;
import dev.gtguard.ReadConsistency;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedItem;
import dev.gtguard.enhanced.internal.EntityModel;
import dev.gtguard.enhanced.internal.HomeSpec;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.VersionConflictException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How an entity table turns an entity write into core writes: the decisions only, one place for
 * each, for {@link VersionedEntityTable} and {@link VersionedEntityAsyncTable} alike. Each write
 * method maps and checks its input on the calling thread (throwing what it refuses) and returns the
 * future of the core calls it makes through {@code core} ({@link CoreTable}), which is the only
 * thing the two tables give differently. Every write goes through the core table, so it is
 * conditional, routed to the item's home region, recorded in the ledger and reported to listeners.
 * At most the last core call of a method writes.
 */
final class EntityWrites<T> {
  private final String tableName;
  private final TableSchema<T> schema;
  private final EntityModel model;

  EntityWrites(String tableName, TableSchema<T> schema, EntityModel model) {
    this.tableName = tableName;
    this.schema = schema;
    this.model = model;
  }

  /** Where the entity's writes go, as the core table's strategy; empty: the local region. */
  static Optional<HomeRegionStrategy> homeRegion(EntityModel model) {
    HomeSpec home = model.home();
    if (home == null) {
      return Optional.empty();
    }
    if (home.attribute() != null) {
      return Optional.of(HomeRegionStrategy.attribute(home.attribute()));
    }
    return Optional.of(
        HomeRegionStrategy.byKey(key -> home.resolver().homeRegion(toKey(model, key))));
  }

  private static Key toKey(EntityModel model, ItemKey key) {
    Key.Builder builder = Key.builder().partitionValue(key.get(model.partitionKey()));
    if (model.sortKey() != null) {
      builder.sortValue(key.get(model.sortKey()));
    }
    return builder.build();
  }

  /** Reads an entity, with the given consistency. */
  CompletableFuture<Optional<T>> get(CoreTable core, Key key, ReadConsistency consistency) {
    return core.get(itemKey(key), consistency).thenApply(item -> item.map(this::toEntity));
  }

  /** Creates at version 1, only if the key is free; a version of 0 counts as none. */
  CompletableFuture<T> create(CoreTable core, T entity) {
    Objects.requireNonNull(entity, "entity");
    return create(core, schema.itemToMap(entity, true));
  }

  private CompletableFuture<T> create(CoreTable core, Map<String, AttributeValue> mapped) {
    Map<String, AttributeValue> item = new LinkedHashMap<>(mapped);
    if (version(item) == 0) {
      item.remove(model.versionAttribute());
    }
    return core.create(item).thenApply(this::toEntity);
  }

  /**
   * A create when the entity has no version, else a write of what differs between the stored item
   * and the entity, only while the item is still at the entity's version (and token, when mapped):
   * the stored item is read in its home region, strongly consistent, and the write is conditional
   * on it. With {@code ignoreNulls}, a null property leaves its attribute as it is instead of
   * removing it.
   */
  CompletableFuture<T> save(CoreTable core, T entity, boolean ignoreNulls) {
    Objects.requireNonNull(entity, "entity");
    Map<String, AttributeValue> wanted = schema.itemToMap(entity, true);
    long held = version(wanted);
    if (held == 0) {
      return create(core, wanted);
    }
    ItemKey key = keyOf(entity);
    String token = heldToken(wanted);
    return core.update(
            key,
            current -> {
              if (current.version() != held
                  || (token != null && !token.equals(current.writeToken().orElse(null)))) {
                throw new VersionConflictException(
                    tableName,
                    key,
                    core.homeRegionOf(current),
                    new ExpectedVersion(held, token),
                    current,
                    null);
              }
              Map<String, AttributeValue> before = mapped(current);
              Map<String, AttributeValue> after = wanted;
              if (ignoreNulls) {
                after = new LinkedHashMap<>(before);
                after.putAll(wanted);
              }
              return Changes.between(before, after);
            })
        .thenApply(result -> toEntity(result.item()));
  }

  /**
   * The read-modify-retry update: the function's entity against the stored one, on every attempt.
   */
  CompletableFuture<EntityUpdateResult<T>> update(
      CoreTable core, Key key, UnaryOperator<T> function) {
    Objects.requireNonNull(function, "function");
    return core.update(itemKey(key), current -> changes(current, function)).thenApply(this::result);
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

  /** Moves the entity's home region; see {@link dev.gtguard.VersionedTable#moveHome}. */
  CompletableFuture<T> moveHome(CoreTable core, Key key, String newHome) {
    return core.moveHome(itemKey(key), newHome).thenApply(result -> toEntity(result.item()));
  }

  /**
   * Deletes the entity's item at the entity's version: conditional on the held token when the
   * entity maps it; otherwise on the token of the item read in its home region, after checking that
   * it is at that version (a write in between makes the delete a conflict).
   *
   * @return the entity, as deleted
   */
  CompletableFuture<T> delete(CoreTable core, T entity) {
    Objects.requireNonNull(entity, "entity");
    Map<String, AttributeValue> held = schema.itemToMap(entity, true);
    ItemKey key = keyOf(entity);
    long version = version(held);
    if (version == 0) {
      throw new InvalidItemException(
          InvalidItemException.Reason.VERSION_MISSING,
          "a delete needs the version the entity was read at, and this "
              + model.entityName()
              + " has none: read it first",
          tableName,
          key,
          null);
    }
    String token = heldToken(held);
    // Without a held token: the stored one, if the item is at the held version; if not, the delete
    // below fails on the version and reports the conflict (or the missing item) as any delete does.
    CompletableFuture<String> expectedToken =
        token != null
            ? CompletableFuture.completedFuture(token)
            : core.get(key, ReadConsistency.STRONG)
                .thenApply(
                    current ->
                        current
                            .filter(item -> item.version() == version)
                            .flatMap(VersionedItem::writeToken)
                            .orElse(null));
    return expectedToken
        .thenCompose(expected -> core.delete(key, new ExpectedVersion(version, expected)))
        .thenApply(deleted -> entity);
  }

  /**
   * Deletes the item as it is now: read in its home region, then deleted only if no write came in
   * between.
   *
   * @return the deleted entity, or null if there was no item
   */
  CompletableFuture<T> delete(CoreTable core, Key key) {
    ItemKey itemKey = itemKey(key);
    return core.get(itemKey, ReadConsistency.STRONG)
        .thenCompose(
            current ->
                current.isEmpty()
                    ? CompletableFuture.completedFuture(null)
                    : core.delete(itemKey, current.get().expected())
                        .thenApply(deleted -> toEntity(current.get())));
  }

  /**
   * A save of a {@code putItem} request's item.
   *
   * @throws UnsupportedOperationException if the request sets anything but the item
   */
  CompletableFuture<T> putRequest(CoreTable core, PutItemEnhancedRequest<T> request) {
    Objects.requireNonNull(request, "request");
    refuseUnless(
        request.equals(PutItemEnhancedRequest.builder(itemClass()).item(request.item()).build()),
        "putItem");
    return save(core, request.item(), false);
  }

  /**
   * A save of an {@code updateItem} request's item, with its {@code ignoreNulls}.
   *
   * @throws UnsupportedOperationException if the request sets anything but the item and {@code
   *     ignoreNulls}
   */
  CompletableFuture<T> updateRequest(CoreTable core, UpdateItemEnhancedRequest<T> request) {
    Objects.requireNonNull(request, "request");
    refuseUnless(
        request.equals(
            UpdateItemEnhancedRequest.builder(itemClass())
                .item(request.item())
                .ignoreNulls(request.ignoreNulls())
                .build()),
        "updateItem");
    return save(core, request.item(), Boolean.TRUE.equals(request.ignoreNulls()));
  }

  /**
   * A delete of a {@code deleteItem} request's key, as {@link #delete(CoreTable, Key)}.
   *
   * @throws UnsupportedOperationException if the request sets anything but the key
   */
  CompletableFuture<T> deleteRequest(CoreTable core, DeleteItemEnhancedRequest request) {
    Objects.requireNonNull(request, "request");
    refuseUnless(
        request.equals(DeleteItemEnhancedRequest.builder().key(request.key()).build()),
        "deleteItem");
    return delete(core, request.key());
  }

  private void refuseUnless(boolean plain, String operation) {
    if (!plain) {
      throw new UnsupportedOperationException(
          operation
              + " on a @Versioned table ("
              + tableName
              + ") takes only the item"
              + (operation.equals("updateItem") ? " and ignoreNulls" : "")
              + ": a condition expression or return-value option would bypass or change the"
              + " version check. Use update(key, fn), or versionedTable() for conditions"
              + " (Changes.builder().condition(...))");
    }
  }

  private Class<T> itemClass() {
    return schema.itemType().rawClass();
  }

  private EntityUpdateResult<T> result(UpdateResult result) {
    return new EntityUpdateResult<>(
        toEntity(result.item()), result.attempts(), result.lostWrites());
  }

  private T toEntity(VersionedItem item) {
    return schema.mapToItem(item.attributes());
  }

  private ItemKey keyOf(T entity) {
    return ItemKey.fromMap(schema.itemToMap(entity, schema.tableMetadata().primaryKeys()));
  }

  private ItemKey itemKey(Key key) {
    Objects.requireNonNull(key, "key");
    return ItemKey.fromMap(key.keyMap(schema, TableMetadata.primaryIndexName()));
  }

  private Map<String, AttributeValue> mapped(VersionedItem current) {
    return schema.itemToMap(schema.mapToItem(current.attributes()), true);
  }

  private long version(Map<String, AttributeValue> entity) {
    AttributeValue version = entity.get(model.versionAttribute());
    return version == null || version.n() == null ? 0 : Long.parseLong(version.n());
  }

  /** The write token the entity holds, or null when it maps none. */
  private String heldToken(Map<String, AttributeValue> entity) {
    if (!model.tokenMapped()) {
      return null;
    }
    AttributeValue token = entity.get(model.tokenAttribute());
    return token == null ? null : token.s();
  }
}
