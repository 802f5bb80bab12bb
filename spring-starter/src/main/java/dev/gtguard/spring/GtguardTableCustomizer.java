package dev.gtguard.spring;

import dev.gtguard.VersionedTableBuilder;

/**
 * Adjusts the core options of each entity table the starter makes: more listeners, a retry or
 * failover policy of its own. Beans of this type are applied in {@code @Order} order, after {@code
 * gtguard.failover-policy} and {@code gtguard.retry.*}. The table's name, keys and home region come
 * from the entity and cannot be changed here.
 *
 * <pre>{@code
 * @Bean
 * GtguardTableCustomizer hotCounters() {
 *   return (tableName, entityType, options) -> {
 *     if (entityType == PageViews.class) {
 *       options.retryPolicy(ConflictRetryPolicy.builder().maxAttempts(20).build());
 *     }
 *   };
 * }
 * }</pre>
 */
@FunctionalInterface
public interface GtguardTableCustomizer {

  /** Adjusts the options of the table {@code tableName} of {@code entityType} entities. */
  void customize(String tableName, Class<?> entityType, VersionedTableBuilder options);
}
