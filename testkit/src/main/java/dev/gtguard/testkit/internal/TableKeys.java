package dev.gtguard.testkit.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A simulated table's key attribute names. Key values may be strings, numbers or binary; a number
 * is keyed by its value, so {@code 1.50} written by a client and {@code 1.5} read from the stream
 * name the same item.
 */
public record TableKeys(String table, String partitionKey, String sortKey) {

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
