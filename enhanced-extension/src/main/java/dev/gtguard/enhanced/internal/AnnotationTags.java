package dev.gtguard.enhanced.internal;

import dev.gtguard.enhanced.InvalidEntityException;
import dev.gtguard.enhanced.UlidSortKey;
import dev.gtguard.enhanced.Versioned;
import dev.gtguard.enhanced.WriteToken;
import java.math.BigInteger;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.enhanced.dynamodb.AttributeValueType;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTag;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableMetadata;

/**
 * The tags behind the annotations: {@code BeanTableSchema} calls {@code attributeTagFor} for each
 * annotated getter (the SDK's convention for {@code @BeanTableSchemaAttributeTag}), and {@code
 * GlobalTableTags} hands out the same tags for static schemas. Each tag checks its attribute's type
 * when the schema is built and records the attribute in the table metadata.
 */
public final class AnnotationTags {
  private static final Set<Class<?>> INTEGRAL =
      Set.of(
          Long.class,
          long.class,
          Integer.class,
          int.class,
          Short.class,
          short.class,
          BigInteger.class);

  private AnnotationTags() {}

  public static StaticAttributeTag attributeTagFor(Versioned annotation) {
    String parent = annotation.parentTokenAttribute();
    return parent.isEmpty() ? versionedByConvention() : versioned(parent);
  }

  public static StaticAttributeTag attributeTagFor(WriteToken annotation) {
    return writeToken();
  }

  public static StaticAttributeTag attributeTagFor(UlidSortKey annotation) {
    return ulidSortKey();
  }

  /**
   * The version tag with the parent-token attribute named by the entity's naming convention (see
   * {@link EntityModel}).
   */
  public static StaticAttributeTag versionedByConvention() {
    return versionTag("");
  }

  public static StaticAttributeTag versioned(String parentTokenAttribute) {
    if (parentTokenAttribute == null || parentTokenAttribute.isBlank()) {
      throw new InvalidEntityException("@Versioned(parentTokenAttribute) must not be blank");
    }
    return versionTag(parentTokenAttribute);
  }

  private static StaticAttributeTag versionTag(String parentTokenAttribute) {
    return new Tag(
        "@Versioned",
        MetadataKeys.VERSION,
        parentTokenAttribute,
        AttributeValueType.N,
        INTEGRAL,
        "a version must be a whole number: Long, long, Integer or int");
  }

  public static StaticAttributeTag writeToken() {
    return new Tag(
        "@WriteToken",
        MetadataKeys.WRITE_TOKEN,
        null,
        AttributeValueType.S,
        Set.of(String.class),
        "a write token is a String");
  }

  public static StaticAttributeTag ulidSortKey() {
    return new Tag(
        "@UlidSortKey",
        MetadataKeys.ULID_SORT_KEY,
        null,
        AttributeValueType.S,
        Set.of(String.class),
        "a ULID sort key is a String");
  }

  private static String describe(Class<?> type, AttributeValueType valueType) {
    return (type == null ? "" : "a " + type.getSimpleName() + ", ") + "stored as " + valueType;
  }

  /**
   * Records its attribute under {@code keyPrefix + name}, after checking that it is stored as
   * {@code storedAs} and, where the Java type is known, is one of {@code javaTypes}.
   */
  private static final class Tag implements StaticAttributeTag {
    private final String name;
    private final String keyPrefix;
    private final String value;
    private final AttributeValueType storedAs;
    private final Set<Class<?>> javaTypes;
    private final String rule;

    Tag(
        String name,
        String keyPrefix,
        String value,
        AttributeValueType storedAs,
        Set<Class<?>> javaTypes,
        String rule) {
      this.name = name;
      this.keyPrefix = keyPrefix;
      this.value = value;
      this.storedAs = storedAs;
      this.javaTypes = javaTypes;
      this.rule = rule;
    }

    private void check(String attribute, Class<?> type, AttributeValueType valueType) {
      if (valueType != storedAs || (type != null && !javaTypes.contains(type))) {
        throw new InvalidEntityException(
            "attribute '"
                + attribute
                + "' is "
                + name
                + " but is "
                + describe(type, valueType)
                + "; "
                + rule);
      }
    }

    @Override
    public <R> void validateType(
        String attributeName, EnhancedType<R> type, AttributeValueType attributeValueType) {
      check(attributeName, type == null ? null : type.rawClass(), attributeValueType);
    }

    @Override
    public Consumer<StaticTableMetadata.Builder> modifyMetadata(
        String attributeName, AttributeValueType attributeValueType) {
      check(attributeName, null, attributeValueType);
      return metadata ->
          metadata.addCustomMetadataObject(
              keyPrefix + attributeName, value == null ? attributeName : value);
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
