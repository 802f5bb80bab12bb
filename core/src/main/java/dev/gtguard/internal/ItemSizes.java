package dev.gtguard.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB's item size arithmetic, from "Item sizes and formats" in the developer guide, so that an
 * oversized item is refused before any request is sent.
 */
public final class ItemSizes {
  /** 400 KB, DynamoDB's limit for one item, attribute names included. */
  public static final long MAX_ITEM_BYTES = 400 * 1024;

  private ItemSizes() {}

  public static long of(Map<String, AttributeValue> item) {
    long size = 0;
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      size += utf8(e.getKey()) + of(e.getValue());
    }
    return size;
  }

  public static long of(AttributeValue v) {
    return switch (v.type()) {
      case S -> utf8(v.s());
      case N -> number(v.n());
      case B -> v.b().asByteArrayUnsafe().length;
      case BOOL, NUL -> 1;
      case SS -> v.ss().stream().mapToLong(ItemSizes::utf8).sum();
      case NS -> v.ns().stream().mapToLong(ItemSizes::number).sum();
      case BS -> v.bs().stream().mapToLong(b -> b.asByteArrayUnsafe().length).sum();
      case L -> 3 + v.l().stream().mapToLong(e -> 1 + of(e)).sum();
      case M ->
          3
              + v.m().entrySet().stream()
                  .mapToLong(e -> 1 + utf8(e.getKey()) + of(e.getValue()))
                  .sum();
      case UNKNOWN_TO_SDK_VERSION -> 0;
    };
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** One byte per two significant digits, plus one. */
  private static long number(String n) {
    String digits = n.replaceAll("[^0-9]", "").replaceFirst("^0+", "");
    int e = digits.length();
    while (e > 0 && digits.charAt(e - 1) == '0') {
      e--;
    }
    return (e + 1) / 2 + 1;
  }
}
