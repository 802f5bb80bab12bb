package dev.gtguard;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Small helpers for building test items. */
public final class Items {
  private Items() {}

  public static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  public static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  /** An item from alternating names and values: {@code item("pk", s("a"), "count", n(0))}. */
  public static Map<String, AttributeValue> item(Object... namesAndValues) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      item.put((String) namesAndValues[i], (AttributeValue) namesAndValues[i + 1]);
    }
    return item;
  }

  public static long count(VersionedItem item) {
    return Long.parseLong(item.get("count").n());
  }

  public static UpdateFunction increment() {
    return current -> Changes.builder().set("count", count(current) + 1).build();
  }
}
