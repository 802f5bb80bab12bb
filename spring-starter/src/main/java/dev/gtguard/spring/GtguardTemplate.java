package dev.gtguard.spring;

import dev.gtguard.ReadConsistency;
import dev.gtguard.enhanced.VersionedEntityTable;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.enhanced.dynamodb.Key;

/**
 * The default {@link GtguardOperations}: each call goes to the entity class's table in {@link
 * GtguardTables}. The starter defines one; inject it as {@code GtguardOperations} or {@code
 * GtguardTemplate}.
 *
 * <pre>{@code
 * @Service
 * class Subscribers {
 *   private final GtguardOperations gtguard;
 *
 *   Subscribers(GtguardOperations gtguard) {
 *     this.gtguard = gtguard;
 *   }
 *
 *   Subscriber changeEmail(String id, String email) {
 *     return gtguard.update(Subscriber.class, Key.builder().partitionValue(id).build(), s -> {
 *       s.setEmail(email);
 *       return s;
 *     });
 *   }
 * }
 * }</pre>
 */
public class GtguardTemplate implements GtguardOperations {
  private final GtguardTables tables;

  public GtguardTemplate(GtguardTables tables) {
    this.tables = Objects.requireNonNull(tables, "tables");
  }

  @Override
  public <T> T create(T entity) {
    return tableOf(entity).create(entity);
  }

  @Override
  public <T> T save(T entity) {
    return tableOf(entity).save(entity);
  }

  @Override
  public <T> T update(Class<T> entityType, Key key, UnaryOperator<T> function) {
    return table(entityType).update(key, function);
  }

  @Override
  public <T> void delete(T entity) {
    tableOf(entity).delete(entity);
  }

  @Override
  public <T> Optional<T> get(Class<T> entityType, Key key) {
    return table(entityType).get(key);
  }

  @Override
  public <T> Optional<T> get(Class<T> entityType, Key key, ReadConsistency consistency) {
    return table(entityType).get(key, consistency);
  }

  @Override
  public <T> VersionedEntityTable<T> table(Class<T> entityType) {
    return tables.table(entityType);
  }

  @SuppressWarnings("unchecked")
  private <T> VersionedEntityTable<T> tableOf(T entity) {
    Objects.requireNonNull(entity, "entity");
    return (VersionedEntityTable<T>) tables.table(entity.getClass());
  }
}
