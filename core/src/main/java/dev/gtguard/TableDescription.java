package dev.gtguard;

import dev.gtguard.internal.Arguments;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the library needs to know about one table: its name, its key attributes, the three
 * attributes it manages on every versioned item (version, write token, parent token) and whether
 * items written without it are adopted. Immutable; the one place where these names, their defaults
 * and their checks live, shared by {@link VersionedTable}, {@link AppendOnlyTable}, the stream
 * detectors and the reconcilers.
 *
 * <pre>{@code
 * TableDescription subscribers = TableDescription.builder()
 *     .tableName("subscribers")
 *     .partitionKey("pk")
 *     .build();                                   // version, write_token, parent_token
 *
 * VersionedTable table = VersionedTable.builder().client(dynamoDb).table(subscribers).build();
 * StreamDetector detector = StreamDetector.builder().table(subscribers).region("eu-west-1").build();
 * }</pre>
 */
public final class TableDescription {
  /** The default version attribute. */
  public static final String DEFAULT_VERSION_ATTRIBUTE = "version";

  /** The default write token attribute. */
  public static final String DEFAULT_TOKEN_ATTRIBUTE = "write_token";

  /** The default parent token attribute. */
  public static final String DEFAULT_PARENT_TOKEN_ATTRIBUTE = "parent_token";

  private final String tableName;
  private final String partitionKey;
  private final String sortKey;
  private final String versionAttribute;
  private final String tokenAttribute;
  private final String parentTokenAttribute;
  private final boolean adoptLegacyItems;

  private TableDescription(Builder b) {
    this.tableName = b.tableName;
    this.partitionKey = b.partitionKey;
    this.sortKey = b.sortKey;
    this.versionAttribute = b.versionAttribute;
    this.tokenAttribute = b.tokenAttribute;
    this.parentTokenAttribute = b.parentTokenAttribute;
    this.adoptLegacyItems = b.adoptLegacyItems;
  }

  /** A builder with the default managed attribute names; table name and partition key required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A table with a partition key only and the default managed attribute names.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if one is blank or reserved
   */
  public static TableDescription of(String tableName, String partitionKey) {
    return builder().tableName(tableName).partitionKey(partitionKey).build();
  }

  /** A builder starting from this description's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.tableName = tableName;
    b.partitionKey = partitionKey;
    b.sortKey = sortKey;
    b.versionAttribute = versionAttribute;
    b.tokenAttribute = tokenAttribute;
    b.parentTokenAttribute = parentTokenAttribute;
    b.adoptLegacyItems = adoptLegacyItems;
    return b;
  }

  /** The table's name. */
  public String tableName() {
    return tableName;
  }

  /** The partition key attribute. */
  public String partitionKey() {
    return partitionKey;
  }

  /** The sort key attribute, for tables that have one. */
  public Optional<String> sortKey() {
    return Optional.ofNullable(sortKey);
  }

  /** The attribute holding the version, a whole number. Default {@code version}. */
  public String versionAttribute() {
    return versionAttribute;
  }

  /** The attribute holding the write token, a string. Default {@code write_token}. */
  public String tokenAttribute() {
    return tokenAttribute;
  }

  /**
   * The attribute holding the token of the state a write was built on (absent after a create).
   * Default {@code parent_token}.
   */
  public String parentTokenAttribute() {
    return parentTokenAttribute;
  }

  /**
   * Whether items without a version attribute are updated as version 0 (default) or refused with
   * {@code VERSION_MISSING}.
   */
  public boolean adoptLegacyItems() {
    return adoptLegacyItems;
  }

  /** Whether {@code name} is one of the key attributes. */
  public boolean isKeyAttribute(String name) {
    return name.equals(partitionKey) || name.equals(sortKey);
  }

  /** The attributes the library manages on every versioned item: version, token, parent token. */
  public Set<String> managedAttributes() {
    return Set.of(versionAttribute, tokenAttribute, parentTokenAttribute);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableDescription other
        && tableName.equals(other.tableName)
        && partitionKey.equals(other.partitionKey)
        && Objects.equals(sortKey, other.sortKey)
        && versionAttribute.equals(other.versionAttribute)
        && tokenAttribute.equals(other.tokenAttribute)
        && parentTokenAttribute.equals(other.parentTokenAttribute)
        && adoptLegacyItems == other.adoptLegacyItems;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        tableName,
        partitionKey,
        sortKey,
        versionAttribute,
        tokenAttribute,
        parentTokenAttribute,
        adoptLegacyItems);
  }

  @Override
  public String toString() {
    return "TableDescription{"
        + tableName
        + "("
        + partitionKey
        + (sortKey == null ? "" : ", " + sortKey)
        + "), version="
        + versionAttribute
        + ", token="
        + tokenAttribute
        + ", parent="
        + parentTokenAttribute
        + (adoptLegacyItems ? "" : ", legacy items refused")
        + "}";
  }

  /**
   * Builds a {@link TableDescription}. Each setter checks its argument at once: {@link
   * NullPointerException} for null, {@link IllegalArgumentException} for a blank name or one under
   * the {@code aws:rep:} prefix Global Tables reserve.
   */
  public static final class Builder {
    private String tableName;
    private String partitionKey;
    private String sortKey;
    private String versionAttribute = DEFAULT_VERSION_ATTRIBUTE;
    private String tokenAttribute = DEFAULT_TOKEN_ATTRIBUTE;
    private String parentTokenAttribute = DEFAULT_PARENT_TOKEN_ATTRIBUTE;
    private boolean adoptLegacyItems = true;

    private Builder() {}

    /** The table's name. Required. */
    public Builder tableName(String tableName) {
      this.tableName = Arguments.nonBlank(tableName, "tableName");
      return this;
    }

    /** The partition key attribute. Required. */
    public Builder partitionKey(String partitionKey) {
      this.partitionKey = Arguments.attributeName(partitionKey, "partitionKey");
      return this;
    }

    /** The sort key attribute, for tables that have one. */
    public Builder sortKey(String sortKey) {
      this.sortKey = Arguments.attributeName(sortKey, "sortKey");
      return this;
    }

    /** The attribute holding the version. Default {@code version}. */
    public Builder versionAttribute(String versionAttribute) {
      this.versionAttribute = Arguments.attributeName(versionAttribute, "versionAttribute");
      return this;
    }

    /** The attribute holding the write token. Default {@code write_token}. */
    public Builder tokenAttribute(String tokenAttribute) {
      this.tokenAttribute = Arguments.attributeName(tokenAttribute, "tokenAttribute");
      return this;
    }

    /** The attribute holding the parent write token. Default {@code parent_token}. */
    public Builder parentTokenAttribute(String parentTokenAttribute) {
      this.parentTokenAttribute =
          Arguments.attributeName(parentTokenAttribute, "parentTokenAttribute");
      return this;
    }

    /** Whether items without a version attribute are adopted as version 0. Default true. */
    public Builder adoptLegacyItems(boolean adoptLegacyItems) {
      this.adoptLegacyItems = adoptLegacyItems;
      return this;
    }

    /**
     * @throws IllegalStateException if the table name or partition key is missing, or two roles
     *     share one attribute name
     */
    public TableDescription build() {
      if (tableName == null || partitionKey == null) {
        throw new IllegalStateException("tableName and partitionKey are required");
      }
      List<String> roles =
          new ArrayList<>(
              List.of(partitionKey, versionAttribute, tokenAttribute, parentTokenAttribute));
      if (sortKey != null) {
        roles.add(sortKey);
      }
      if (roles.stream().distinct().count() != roles.size()) {
        throw new IllegalStateException(
            "key, version, token and parent token attributes must all differ, were " + roles);
      }
      return new TableDescription(this);
    }
  }
}
