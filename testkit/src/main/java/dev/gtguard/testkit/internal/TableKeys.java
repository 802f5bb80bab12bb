package dev.gtguard.testkit.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A simulated table's key attribute names. */
public record TableKeys(String table, String partitionKey, String sortKey) {

  public ItemRef refOf(Map<String, AttributeValue> itemOrKey) {
    Map<String, AttributeValue> key = new LinkedHashMap<>();
    key.put(partitionKey, itemOrKey.get(partitionKey));
    if (sortKey != null) {
      key.put(sortKey, itemOrKey.get(sortKey));
    }
    if (key.containsValue(null)) {
      throw new IllegalArgumentException(
          "item lacks key attributes of " + table + ": " + itemOrKey);
    }
    return new ItemRef(table, key);
  }
}
