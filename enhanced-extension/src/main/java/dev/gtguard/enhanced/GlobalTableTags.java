package dev.gtguard.enhanced;

import dev.gtguard.enhanced.internal.AnnotationTags;
import dev.gtguard.enhanced.internal.EntityModel;
import dev.gtguard.enhanced.internal.HomeSpec;
import dev.gtguard.enhanced.internal.MetadataKeys;
import java.util.Objects;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTag;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableTag;

/**
 * The annotations' counterparts for a {@code StaticTableSchema}: attribute tags for {@link
 * Versioned}, {@link WriteToken} and {@link UlidSortKey}, table tags for {@link HomeRegion}.
 *
 * <pre>{@code
 * TableSchema<Customer> schema = StaticTableSchema.builder(Customer.class)
 *     .newItemSupplier(Customer::new)
 *     .addAttribute(String.class, a -> a.name("id").getter(Customer::getId).setter(Customer::setId)
 *         .tags(StaticAttributeTags.primaryPartitionKey()))
 *     .addAttribute(Long.class, a -> a.name("version")
 *         .getter(Customer::getVersion).setter(Customer::setVersion)
 *         .tags(GlobalTableTags.versioned()))
 *     .addAttribute(String.class, a -> a.name("write_token")
 *         .getter(Customer::getWriteToken).setter(Customer::setWriteToken)
 *         .tags(GlobalTableTags.writeToken()))
 *     .tags(GlobalTableTags.homeRegion("home_region"))
 *     ...
 *     .build();
 * }</pre>
 */
public final class GlobalTableTags {
  private GlobalTableTags() {}

  /**
   * Tags the version attribute (a whole number), as {@link Versioned} does; the parent-token
   * attribute follows the entity's naming convention.
   */
  public static StaticAttributeTag versioned() {
    return AnnotationTags.versionedByConvention();
  }

  /**
   * Tags the version attribute, as {@code @Versioned(parentTokenAttribute = ...)} does.
   *
   * @param parentTokenAttribute the attribute that holds the replaced state's write token
   */
  public static StaticAttributeTag versioned(String parentTokenAttribute) {
    return AnnotationTags.versioned(parentTokenAttribute);
  }

  /** Tags the write-token attribute (a string), as {@link WriteToken} does. */
  public static StaticAttributeTag writeToken() {
    return AnnotationTags.writeToken();
  }

  /** Tags an append-only entity's sort key (a string), as {@link UlidSortKey} does. */
  public static StaticAttributeTag ulidSortKey() {
    return AnnotationTags.ulidSortKey();
  }

  /**
   * Whether a schema's entities are {@link Versioned}, by annotation or by {@link #versioned()}
   * tag: their writes belong in a {@link VersionedEntityTable}. For integrations that hand out
   * tables by schema, such as the Spring Boot starter.
   *
   * <pre>{@code
   * DynamoDbTable<T> table = GlobalTableTags.isVersioned(schema)
   *     ? globalTables.table(enhanced.table(name, schema))
   *     : enhanced.table(name, schema);
   * }</pre>
   */
  public static boolean isVersioned(TableSchema<?> schema) {
    Objects.requireNonNull(schema, "schema");
    return "@Versioned".equals(EntityModel.protectedBy(schema.tableMetadata()));
  }

  /** Routes writes by the string attribute that names each item's home region. */
  public static StaticTableTag homeRegion(String attribute) {
    Objects.requireNonNull(attribute, "attribute");
    if (attribute.isBlank()) {
      throw new InvalidEntityException("homeRegion(attribute) must not be blank");
    }
    return homeTag(
        new HomeSpec(attribute, null, "GlobalTableTags.homeRegion(\"" + attribute + "\")"));
  }

  /** Routes writes by a home region derived from each item's key. */
  public static StaticTableTag homeRegion(HomeRegionResolver resolver) {
    Objects.requireNonNull(resolver, "resolver");
    return homeTag(new HomeSpec(null, resolver, "GlobalTableTags.homeRegion(" + resolver + ")"));
  }

  private static StaticTableTag homeTag(HomeSpec spec) {
    return () -> metadata -> metadata.addCustomMetadataObject(MetadataKeys.HOME_REGION, spec);
  }
}
