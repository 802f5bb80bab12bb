package dev.gtguard.testkit.internal;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Compares items the way DynamoDB does, not the way {@link AttributeValue#equals} does: numbers by
 * value ({@code 1.50} is {@code 1.5}: DynamoDB Local returns a number as it was written but its
 * stream renders it canonically), and sets regardless of order. Also inside maps and lists.
 */
public final class Values {
  private Values() {}

  /** Whether two items (or keys) hold the same attributes with the same values. */
  public static boolean sameItem(Map<String, AttributeValue> a, Map<String, AttributeValue> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<String, AttributeValue> e : a.entrySet()) {
      AttributeValue other = b.get(e.getKey());
      if (other == null || !same(e.getValue(), other)) {
        return false;
      }
    }
    return true;
  }

  /** Whether two attribute values are equal to DynamoDB. */
  public static boolean same(AttributeValue a, AttributeValue b) {
    if (a.type() != b.type()) {
      return false;
    }
    return switch (a.type()) {
      case N -> canonicalNumber(a.n()).equals(canonicalNumber(b.n()));
      case NS -> numbers(a.ns()).equals(numbers(b.ns()));
      case SS -> new HashSet<>(a.ss()).equals(new HashSet<>(b.ss()));
      case BS -> new HashSet<>(a.bs()).equals(new HashSet<>(b.bs()));
      case M -> sameItem(a.m(), b.m());
      case L -> sameList(a.l(), b.l());
      default -> a.equals(b);
    };
  }

  /**
   * One spelling per numeric value ({@code 1.50}, {@code 1.5} and {@code 15E-1} all give {@code
   * 1.5}), so that a number can be part of a key map; text that is no number is returned as is.
   */
  public static String canonicalNumber(String number) {
    try {
      return new BigDecimal(number.strip()).stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      return number;
    }
  }

  /** The value with a number in canonical spelling: for key attributes, which may be numbers. */
  public static AttributeValue canonicalKey(AttributeValue value) {
    return value != null && value.type() == AttributeValue.Type.N
        ? AttributeValue.fromN(canonicalNumber(value.n()))
        : value;
  }

  private static Set<String> numbers(List<String> numbers) {
    Set<String> set = new HashSet<>();
    numbers.forEach(n -> set.add(canonicalNumber(n)));
    return set;
  }

  private static boolean sameList(List<AttributeValue> a, List<AttributeValue> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!same(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }
}
