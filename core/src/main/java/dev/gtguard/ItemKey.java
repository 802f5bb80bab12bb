package dev.gtguard;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The primary key of one item: a partition key and, for tables that have one, a sort key.
 * Immutable.
 *
 * <pre>{@code
 * ItemKey subscriber = ItemKey.of("pk", "subscriber#4711");
 * ItemKey event = ItemKey.of("pk", AttributeValue.fromS("subscriber#4711"), "sk", AttributeValue.fromS(ulid));
 * }</pre>
 */
public final class ItemKey {
  private final Map<String, AttributeValue> attributes;

  /** The hash code, once computed (0: not yet); keys are looked up in maps on every write. */
  private int hash;

  private ItemKey(Map<String, AttributeValue> attributes) {
    this.attributes = Collections.unmodifiableMap(attributes);
  }

  /**
   * A partition-key-only key with a string value.
   *
   * @throws NullPointerException if an argument is null
   */
  public static ItemKey of(String partitionKey, String value) {
    Objects.requireNonNull(value, "value");
    return of(partitionKey, AttributeValue.fromS(value));
  }

  /**
   * A partition-key-only key.
   *
   * @throws NullPointerException if an argument is null
   */
  public static ItemKey of(String partitionKey, AttributeValue value) {
    Map<String, AttributeValue> map = new LinkedHashMap<>();
    map.put(Objects.requireNonNull(partitionKey, "partitionKey"), Objects.requireNonNull(value));
    return new ItemKey(map);
  }

  /**
   * A partition key plus sort key.
   *
   * @throws NullPointerException if an argument is null
   */
  public static ItemKey of(
      String partitionKey,
      AttributeValue partitionValue,
      String sortKey,
      AttributeValue sortValue) {
    Map<String, AttributeValue> map = new LinkedHashMap<>();
    map.put(
        Objects.requireNonNull(partitionKey, "partitionKey"),
        Objects.requireNonNull(partitionValue));
    map.put(Objects.requireNonNull(sortKey, "sortKey"), Objects.requireNonNull(sortValue));
    return new ItemKey(map);
  }

  /**
   * A key from a map of key attributes, as the SDK's {@code GetItemRequest.key()} takes it. Whether
   * the map matches a table's key schema is checked by the table, which says what is wrong.
   *
   * @throws NullPointerException if the map is null
   */
  public static ItemKey fromMap(Map<String, AttributeValue> key) {
    return new ItemKey(new LinkedHashMap<>(Objects.requireNonNull(key, "key")));
  }

  /** The key attributes, unmodifiable, in the order they were given. */
  public Map<String, AttributeValue> asMap() {
    return attributes;
  }

  /** The value of one key attribute, or {@code null}. */
  public AttributeValue get(String name) {
    return attributes.get(name);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ItemKey other && attributes.equals(other.attributes);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = attributes.hashCode();
      hash = h;
    }
    return h;
  }

  /**
   * {@code {pk=subscriber#4711}}: key values rendered the way DynamoDB's console shows them, or
   * redacted as {@link KeyRedaction#current()} says.
   */
  @Override
  public String toString() {
    KeyRedaction redaction = KeyRedaction.current();
    return attributes.entrySet().stream()
        .map(e -> e.getKey() + "=" + redaction.render(render(e.getValue())))
        .collect(Collectors.joining(", ", "{", "}"));
  }

  static String render(AttributeValue v) {
    if (v == null) {
      return "null";
    }
    if (v.s() != null) {
      return v.s();
    }
    if (v.n() != null) {
      return v.n();
    }
    if (v.b() != null) {
      return "<" + v.b().asByteArrayUnsafe().length + " bytes>";
    }
    return v.toString();
  }
}
