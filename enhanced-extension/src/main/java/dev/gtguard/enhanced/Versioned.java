package dev.gtguard.enhanced;

import dev.gtguard.enhanced.internal.AnnotationTags;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.BeanTableSchemaAttributeTag;

/**
 * Marks the getter of an entity's version attribute: the entity is then protected by a version and
 * a write token, and is written through a {@link VersionedEntityTable}. The attribute must be a
 * number ({@code Long}, {@code long}, {@code Integer} or {@code int}). The write token lives in the
 * item; mark a string property {@link WriteToken} if entities should carry it too (optional). It
 * goes on the getter, never on the class: one way, the SDK's own (attribute tags), the same for
 * bean and static schemas, and the type is checked when the schema is built. The attribute's name
 * is the property's, as for any Enhanced Client attribute ({@code getVersion()} stores {@code
 * version}); {@code @DynamoDbAttribute} renames it. There is exactly one per entity.
 *
 * <pre>{@code
 * @DynamoDbBean
 * public class Customer {
 *   @DynamoDbPartitionKey public String getId() { ... }
 *   @Versioned public Long getVersion() { ... }
 *   @WriteToken public String getWriteToken() { ... } // optional
 *   ...
 * }
 * }</pre>
 *
 * <p>The library sets both: a created entity is at version 1, each write adds 1 and draws a new
 * token, and the entity a write returns carries them. Do not combine it with the SDK's
 * {@code @DynamoDbVersionAttribute}; {@link GlobalTablesExtension#table} refuses that. For a {@code
 * StaticTableSchema}, tag the attribute with {@link GlobalTableTags#versioned()}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@BeanTableSchemaAttributeTag(AnnotationTags.class)
public @interface Versioned {

  /**
   * The attribute that holds, on each versioned write, the write token of the state it replaced:
   * the link the detectors follow. The entity need not map it. By default it follows the entity's
   * naming convention: {@code parent_token} when the entity's attribute names are snake_case,
   * {@code parentToken} otherwise.
   */
  String parentTokenAttribute() default "";
}
