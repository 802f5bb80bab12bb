package dev.gtguard.enhanced;

import dev.gtguard.enhanced.internal.AnnotationTags;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.BeanTableSchemaAttributeTag;

/**
 * Marks the sort-key getter of an append-only entity: each {@link AppendOnlyEntityTable#append}
 * sets it to a new ULID, so no two writes touch the same item and Global Tables have nothing to
 * resolve. The attribute must be a string and the table's sort key.
 *
 * <pre>{@code
 * @DynamoDbBean
 * public class CustomerEvent {
 *   @DynamoDbPartitionKey public String getCustomerId() { ... }
 *   @DynamoDbSortKey @UlidSortKey public String getEventId() { ... }
 *   ...
 * }
 * }</pre>
 *
 * <p>For a {@code StaticTableSchema}, tag the attribute with {@link GlobalTableTags#ulidSortKey()}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@BeanTableSchemaAttributeTag(AnnotationTags.class)
public @interface UlidSortKey {}
