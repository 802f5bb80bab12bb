package dev.gtguard.internal;

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

  /**
   * The bytes of {@code s} in UTF-8, counted without encoding it (as {@code getBytes(UTF_8)}: a
   * lone surrogate becomes one {@code '?'}).
   */
  public static long utf8(String s) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (!Character.isSurrogate(c)) {
        bytes += 3;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 1;
      }
    }
    return bytes;
  }

  /**
   * One byte per two significant digits, plus one: the digits of the string from its first to its
   * last non-zero digit (exponent digits counted too, which over- rather than under-estimates).
   */
  private static long number(String n) {
    int counted = 0; // digits since the first non-zero one
    int significant = 0; // ... up to the last non-zero one
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if (c >= '0' && c <= '9') {
        if (c != '0' || counted > 0) {
          counted++;
        }
        if (c != '0') {
          significant = counted;
        }
      }
    }
    return (significant + 1) / 2 + 1;
  }
}
