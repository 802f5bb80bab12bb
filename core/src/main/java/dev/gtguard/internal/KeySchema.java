package dev.gtguard.internal;

import dev.gtguard.ItemKey;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.InvalidItemException.Reason;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A table's key attribute names, and the input checks every table applies before writing. */
public record KeySchema(String tableName, String partitionKey, String sortKey) {

  /** Global Tables keep their replication metadata under this prefix; writing it is refused. */
  public static final String RESERVED_PREFIX = "aws:rep:";

  public boolean isKeyAttribute(String name) {
    return name.equals(partitionKey) || name.equals(sortKey);
  }

  /** Checks the key has exactly this table's key attributes, each a non-empty S, N or B. */
  public ItemKey validate(ItemKey key) {
    if (key == null) {
      throw invalid(Reason.MISSING_KEY, "key must not be null", null);
    }
    Map<String, AttributeValue> map = key.asMap();
    checkKeyValue(partitionKey, map.get(partitionKey), key);
    if (sortKey != null) {
      checkKeyValue(sortKey, map.get(sortKey), key);
    }
    int expected = sortKey == null ? 1 : 2;
    if (map.size() != expected) {
      throw invalid(
          Reason.MISSING_KEY,
          "key "
              + key
              + " must hold exactly the key attributes "
              + (sortKey == null
                  ? "[" + partitionKey + "]"
                  : "[" + partitionKey + ", " + sortKey + "]"),
          key);
    }
    return key;
  }

  /** The key of a whole item, checked. */
  public ItemKey keyOf(Map<String, AttributeValue> item) {
    Map<String, AttributeValue> key = new LinkedHashMap<>();
    AttributeValue pk = item.get(partitionKey);
    if (pk != null) {
      key.put(partitionKey, pk);
    }
    if (sortKey != null && item.get(sortKey) != null) {
      key.put(sortKey, item.get(sortKey));
    }
    ItemKey itemKey = ItemKey.fromMap(key);
    checkKeyValue(partitionKey, pk, itemKey);
    if (sortKey != null) {
      checkKeyValue(sortKey, item.get(sortKey), itemKey);
    }
    return itemKey;
  }

  public void checkNotReserved(String attributeName, ItemKey key) {
    if (attributeName.startsWith(RESERVED_PREFIX)) {
      throw invalid(
          Reason.RESERVED_ATTRIBUTE,
          "attribute name '"
              + attributeName
              + "' is reserved: Global Tables keep replication metadata under '"
              + RESERVED_PREFIX
              + "'",
          key);
    }
  }

  public void checkSize(Map<String, AttributeValue> item, ItemKey key) {
    long size = ItemSizes.of(item);
    if (size > ItemSizes.MAX_ITEM_BYTES) {
      throw invalid(
          Reason.ITEM_TOO_LARGE,
          "item "
              + key
              + " would be "
              + size
              + " bytes; DynamoDB's limit is "
              + ItemSizes.MAX_ITEM_BYTES
              + " bytes (400 KB), attribute names included",
          key);
    }
  }

  public InvalidItemException invalid(Reason reason, String message, ItemKey key) {
    return new InvalidItemException(
        reason, message + " (table " + tableName + ")", tableName, key, null);
  }

  private void checkKeyValue(String name, AttributeValue value, ItemKey key) {
    if (value == null) {
      throw invalid(Reason.MISSING_KEY, "key attribute '" + name + "' is missing from " + key, key);
    }
    boolean empty =
        switch (value.type()) {
          case S -> value.s().isEmpty();
          case N -> value.n().isEmpty();
          case B -> value.b().asByteArrayUnsafe().length == 0;
          default -> {
            throw invalid(
                Reason.MISSING_KEY,
                "key attribute '"
                    + name
                    + "' must be a string, number or binary, was "
                    + value.type(),
                key);
          }
        };
    if (empty) {
      throw invalid(Reason.MISSING_KEY, "key attribute '" + name + "' must not be empty", key);
    }
  }
}
