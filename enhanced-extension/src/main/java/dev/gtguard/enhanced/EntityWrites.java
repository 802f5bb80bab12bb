package dev.gtguard.enhanced;

import dev.gtguard.Changes;
import dev.gtguard.ExpectedVersion;
import dev.gtguard.ItemKey;
import dev.gtguard.ReadConsistency;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.enhanced.internal.EntityModel;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.VersionConflictException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How {@link VersionedEntityTable} turns an entity write into a core write: the decisions only, one
 * place for each. Every write goes through the core {@link VersionedTable}, so it is conditional,
 * routed to the item's home region, recorded in the ledger and reported to listeners.
 */
final class EntityWrites<T> {
  private final TableSchema<T> schema;
  private final EntityModel model;
  private final VersionedTable core;

  EntityWrites(TableSchema<T> schema, EntityModel model, VersionedTable core) {
    this.schema = schema;
    this.model = model;
    this.core = core;
  }

  /** Creates at version 1, only if the key is free; a version of 0 counts as none. */
  T create(T entity) {
    Objects.requireNonNull(entity, "entity");
    return create(schema.itemToMap(entity, true));
  }

  private T create(Map<String, AttributeValue> mapped) {
    Map<String, AttributeValue> item = new LinkedHashMap<>(mapped);
    if (version(item) == 0) {
      item.remove(model.versionAttribute());
    }
    return toEntity(core.create(item));
  }

  /**
   * A create when the entity has no version, else a write of what differs between the stored item
   * and the entity, only while the item is still at the entity's version (and token, when mapped):
   * the stored item is read in its home region, strongly consistent, and the write is conditional
   * on it. With {@code ignoreNulls}, a null property leaves its attribute as it is instead of
   * removing it.
   */
  T save(T entity, boolean ignoreNulls) {
    Objects.requireNonNull(entity, "entity");
    Map<String, AttributeValue> wanted = schema.itemToMap(entity, true);
    long held = version(wanted);
    if (held == 0) {
      return create(wanted);
    }
    ItemKey key = keyOf(entity);
    String token = heldToken(wanted);
    return toEntity(
        core.update(
                key,
                current -> {
                  if (current.version() != held
                      || (token != null && !token.equals(current.writeToken().orElse(null)))) {
                    throw new VersionConflictException(
                        core.tableName(),
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
            .item());
  }

  /** The read-modify-retry update: the function's entity against the stored one. */
  Changes changes(VersionedItem current, UnaryOperator<T> function) {
    T entity = schema.mapToItem(current.attributes());
    Map<String, AttributeValue> before = schema.itemToMap(entity, true);
    T after =
        Objects.requireNonNull(
            function.apply(entity),
            "the update function returned null; return the entity, changed or not");
    return Changes.between(before, schema.itemToMap(after, true));
  }

  /**
   * Deletes the entity's item at the entity's version: conditional on the held token when the
   * entity maps it; otherwise on the token of the item read in its home region, after checking that
   * it is at that version (a write in between makes the delete a conflict).
   *
   * @return the entity, as deleted
   */
  T delete(T entity) {
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
          core.tableName(),
          key,
          null);
    }
    String token = heldToken(held);
    if (token == null) {
      // The stored token, if the item is at the held version; if not, the delete below fails
      // on the version and reports the conflict (or the missing item) as any delete does.
      token =
          core.get(key, ReadConsistency.STRONG)
              .filter(current -> current.version() == version)
              .flatMap(VersionedItem::writeToken)
              .orElse(null);
    }
    core.delete(key, new ExpectedVersion(version, token));
    return entity;
  }

  /**
   * Deletes the item as it is now: read in its home region, then deleted only if no write came in
   * between.
   *
   * @return the deleted entity, or null if there was no item
   */
  T delete(ItemKey key) {
    Optional<VersionedItem> current = core.get(key, ReadConsistency.STRONG);
    if (current.isEmpty()) {
      return null;
    }
    core.delete(key, current.get().expected());
    return toEntity(current.get());
  }

  T toEntity(VersionedItem item) {
    return schema.mapToItem(item.attributes());
  }

  ItemKey keyOf(T entity) {
    return ItemKey.fromMap(schema.itemToMap(entity, schema.tableMetadata().primaryKeys()));
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
