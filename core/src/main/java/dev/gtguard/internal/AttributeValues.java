package dev.gtguard.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Attribute values compared as DynamoDB compares them: numbers by value ({@code 1.50} is {@code
 * 1.5}), sets without order. The SDK's {@code equals} compares the strings and the list order.
 */
public final class AttributeValues {
  private AttributeValues() {}

  /** Whether two items hold the same attributes with the same values, as DynamoDB sees them. */
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

  /** Whether two values are the same value, as DynamoDB sees them. */
  public static boolean same(AttributeValue a, AttributeValue b) {
    if (a.type() != b.type()) {
      return false;
    }
    return switch (a.type()) {
      case N -> number(a.n()).equals(number(b.n()));
      case NS -> numbers(a.ns()).equals(numbers(b.ns()));
      case SS -> new HashSet<>(a.ss()).equals(new HashSet<>(b.ss()));
      case BS -> new HashSet<>(a.bs()).equals(new HashSet<>(b.bs()));
      case L -> sameList(a.l(), b.l());
      case M -> sameItem(a.m(), b.m());
      default -> a.equals(b);
    };
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

  private static Set<String> numbers(List<String> values) {
    return values.stream().map(AttributeValues::number).collect(Collectors.toSet());
  }

  /** A number's canonical form, or the string itself when it is not one DynamoDB stores. */
  private static String number(String n) {
    return Numbers.problem(n) == null ? Numbers.canonical(n) : n;
  }
}
