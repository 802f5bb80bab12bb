package dev.gtguard.spring;

/**
 * Names the table of an entity class, for {@link GtguardTables#table(Class)}. Define a bean of this
 * type to replace the default, which follows spring-cloud-aws's convention ({@link
 * DefaultGtguardTableNameResolver}); with spring-cloud-aws's DynamoDB auto-configuration on, its
 * {@code DynamoDbTableNameResolver} bean is used, so that both templates name a class's table the
 * same.
 *
 * <pre>{@code
 * @Bean
 * GtguardTableNameResolver tableNames(Environment env) {
 *   return type -> env.getRequiredProperty("tables." + type.getSimpleName());
 * }
 * }</pre>
 */
@FunctionalInterface
public interface GtguardTableNameResolver {

  /** The name of the table that holds {@code entityType}'s items. */
  String resolve(Class<?> entityType);
}
