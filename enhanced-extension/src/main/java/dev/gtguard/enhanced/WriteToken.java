package dev.gtguard.enhanced;

import dev.gtguard.enhanced.internal.AnnotationTags;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.BeanTableSchemaAttributeTag;

/**
 * Marks the getter of a {@link Versioned} entity's write token: a string attribute the library sets
 * to a new ULID on every write. Together with the version it tells two writes of the same version
 * apart, which is how an overwrite by another region becomes visible. Optional: without it the
 * library keeps the token in the item only ({@code writeToken}, or {@code write_token} for a
 * snake_case entity), and entities do not carry it.
 *
 * <pre>{@code
 * @WriteToken
 * public String getWriteToken() { return writeToken; }
 * public void setWriteToken(String writeToken) { this.writeToken = writeToken; }
 * }</pre>
 *
 * <p>For a {@code StaticTableSchema}, tag the attribute with {@link GlobalTableTags#writeToken()}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@BeanTableSchemaAttributeTag(AnnotationTags.class)
public @interface WriteToken {}
