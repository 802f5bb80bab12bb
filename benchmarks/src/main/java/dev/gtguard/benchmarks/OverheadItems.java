package dev.gtguard.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The item {@link UpdateOverheadBenchmark} updates, in its two states: as the caller holds it
 * (version 17) and as the stub returns it after the update (version 18, {@code count} one higher, a
 * new write token, the held token as parent). Two sizes: 6 attributes ({@code pk}, {@code count},
 * {@code name}, {@code delivery_address}, {@code status}, {@code version}) and 202 ({@code pk}, 200
 * numbers {@code count}, {@code n001} to {@code n199}, {@code version}); the library's items also
 * carry {@code write_token} and {@code parent_token}.
 */
final class OverheadItems {
  static final String TABLE = "subscribers";
  static final String PK = "subscriber#4711";
  static final long COUNT = 41;
  static final long VERSION = 17;
  static final String PARENT_TOKEN = "01JD0000000000000000000016";
  static final String HELD_TOKEN = "01JD0000000000000000000017";
  static final String NEXT_TOKEN = "01JD0000000000000000000018";

  private OverheadItems() {}

  /** The item as held: version 17, its token, its parent's. */
  static Map<String, AttributeValue> held(int attributes) {
    Map<String, AttributeValue> item = user(attributes, COUNT, VERSION);
    item.put("write_token", AttributeValue.fromS(HELD_TOKEN));
    item.put("parent_token", AttributeValue.fromS(PARENT_TOKEN));
    return item;
  }

  /** The item as the update leaves it: what the stub returns. */
  static Map<String, AttributeValue> stored(int attributes) {
    Map<String, AttributeValue> item = user(attributes, COUNT + 1, VERSION + 1);
    item.put("write_token", AttributeValue.fromS(NEXT_TOKEN));
    item.put("parent_token", AttributeValue.fromS(HELD_TOKEN));
    return item;
  }

  /** The name of wide attribute {@code i}, 1 to 199 ({@code count} is number 0). */
  static String wideName(int i) {
    return String.format("n%03d", i);
  }

  /** The value of wide attribute {@code i}: a few digits, like a counter or an amount in cents. */
  static long wideValue(int i) {
    return 1000 + 37L * i;
  }

  private static Map<String, AttributeValue> user(int attributes, long count, long version) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", AttributeValue.fromS(PK));
    item.put("count", AttributeValue.fromN(Long.toString(count)));
    switch (attributes) {
      case 6 -> {
        item.put("name", AttributeValue.fromS("Ada Lovelace"));
        item.put("delivery_address", AttributeValue.fromS("221B Baker Street, London"));
        item.put("status", AttributeValue.fromS("ACTIVE"));
      }
      case 200 -> {
        for (int i = 1; i < 200; i++) {
          item.put(wideName(i), AttributeValue.fromN(Long.toString(wideValue(i))));
        }
      }
      default -> throw new IllegalArgumentException("6 or 200 attributes, not " + attributes);
    }
    item.put("version", AttributeValue.fromN(Long.toString(version)));
    return item;
  }
}
