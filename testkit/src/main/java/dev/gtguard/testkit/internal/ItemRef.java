package dev.gtguard.testkit.internal;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** One item of one table: the unit of last-writer-wins. */
public record ItemRef(String table, Map<String, AttributeValue> key)
    implements Comparable<ItemRef> {
  public ItemRef {
    key = Map.copyOf(key);
  }

  /** An arbitrary but total order, so several items are always locked in the same order. */
  @Override
  public int compareTo(ItemRef other) {
    int byTable = table.compareTo(other.table);
    return byTable != 0 ? byTable : key.toString().compareTo(other.key.toString());
  }
}
