package dev.gtguard.spring;

import dev.gtguard.ReadConsistency;
import dev.gtguard.enhanced.VersionedEntityTable;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.enhanced.dynamodb.Key;

/**
 * Versioned writes of {@code @Versioned} entities by class, in the spirit of spring-cloud-aws's
 * {@code DynamoDbOperations}: every write is conditional on the version the entity was read at, and
 * goes to the item's home region. Implemented by {@link GtguardTemplate}.
 *
 * <pre>{@code
 * Subscriber created = gtguard.create(subscriber);               // version 1
 * Subscriber moved = gtguard.update(Subscriber.class, key, s -> {
 *   s.setEmail("ada@example.org");                                // re-applied on a conflict
 *   return s;
 * });
 * gtguard.delete(moved);                                          // only while still at moved's version
 * }</pre>
 *
 * <p>Writes throw the library's exceptions ({@code dev.gtguard.exception}): {@code
 * ItemAlreadyExistsException}, {@code VersionConflictException}, {@code ItemNotFoundException},
 * {@code RetriesExhaustedException}, {@code HomeRegionUnavailableException}, {@code
 * InvalidItemException}; with Spring MVC they become problem details.
 */
public interface GtguardOperations {

  /**
   * Creates the entity at version 1, in its home region, only if its key is free.
   *
   * @return the stored entity, with its version
   * @see VersionedEntityTable#create
   */
  <T> T create(T entity);

  /**
   * Creates the entity if it has no version, else writes what differs from the stored item only
   * while the item is still at the entity's version.
   *
   * @return the stored entity, with its new version
   * @see VersionedEntityTable#save
   */
  <T> T save(T entity);

  /**
   * Read-modify-retry: reads the item in its home region, applies the function, writes what
   * differs; on a conflict the function runs again on the current item.
   *
   * @return the stored entity, with its new version
   * @see VersionedEntityTable#update(Key, UnaryOperator)
   */
  <T> T update(Class<T> entityType, Key key, UnaryOperator<T> function);

  /**
   * Deletes the entity's item only while it is still at the entity's version.
   *
   * @see VersionedEntityTable#delete
   */
  <T> void delete(T entity);

  /** Reads an entity from the local region, eventually consistent. */
  <T> Optional<T> get(Class<T> entityType, Key key);

  /** Reads an entity, eventually consistent locally or strongly consistent in its home region. */
  <T> Optional<T> get(Class<T> entityType, Key key, ReadConsistency consistency);

  /**
   * The table of an entity class, for everything else (queries, scans, moveHome, the core table).
   */
  <T> VersionedEntityTable<T> table(Class<T> entityType);
}
