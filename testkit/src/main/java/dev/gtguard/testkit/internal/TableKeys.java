package dev.gtguard.testkit.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;

/**
 * A simulated table's key attribute names. Key values may be strings, numbers or binary; a number
 * is keyed by its value, so {@code 1.50} written by a client and {@code 1.5} read from the stream
 * name the same item.
 */
public record TableKeys(String table, String partitionKey, String sortKey) {

  /** The key attribute names of a table's key schema. */
  public static TableKeys of(String table, List<KeySchemaElement> keySchema) {
    String partitionKey = null;
    String sortKey = null;
    for (KeySchemaElement element : keySchema) {
      if (element.keyType() == KeyType.HASH) {
        partitionKey = element.attributeName();
      } else if (element.keyType() == KeyType.RANGE) {
        sortKey = element.attributeName();
      }
    }
    if (partitionKey == null) {
      throw new IllegalArgumentException("table " + table + " has no partition (HASH) key");
    }
    return new TableKeys(table, partitionKey, sortKey);
  }

  public ItemRef refOf(Map<String, AttributeValue> itemOrKey) {
    Map<String, AttributeValue> key = new LinkedHashMap<>();
    key.put(partitionKey, Values.canonicalKey(itemOrKey.get(partitionKey)));
    if (sortKey != null) {
      key.put(sortKey, Values.canonicalKey(itemOrKey.get(sortKey)));
    }
    if (key.containsValue(null)) {
      throw new IllegalArgumentException(
          "item lacks key attributes of " + table + ": " + itemOrKey);
    }
    return new ItemRef(table, key);
  }
}
