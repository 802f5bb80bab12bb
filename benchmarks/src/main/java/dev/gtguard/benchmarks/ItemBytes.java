package dev.gtguard.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@link DetectionCostBenchmark}'s measure of a stored item's size. */
final class ItemBytes {
  private ItemBytes() {}

  /**
   * The UTF-8 bytes of every name and value: numbers as their decimal text, binaries as their
   * bytes, booleans and nulls as 1, sets, lists and maps as the sum of their elements (map keys
   * included). Close to, not exactly, DynamoDB's item size (it stores numbers in about half their
   * digits).
   */
  static long of(Map<String, AttributeValue> item) {
    long bytes = 0;
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      bytes += utf8(e.getKey()) + of(e.getValue());
    }
    return bytes;
  }

  private static long of(AttributeValue v) {
    if (v.s() != null) {
      return utf8(v.s());
    } else if (v.n() != null) {
      return utf8(v.n());
    } else if (v.b() != null) {
      return v.b().asByteArrayUnsafe().length;
    } else if (v.bool() != null || v.nul() != null) {
      return 1;
    } else if (v.hasM()) {
      return of(v.m());
    } else if (v.hasL()) {
      return v.l().stream().mapToLong(ItemBytes::of).sum();
    } else if (v.hasSs()) {
      return v.ss().stream().mapToLong(ItemBytes::utf8).sum();
    } else if (v.hasNs()) {
      return v.ns().stream().mapToLong(ItemBytes::utf8).sum();
    } else if (v.hasBs()) {
      return v.bs().stream().mapToLong(b -> b.asByteArrayUnsafe().length).sum();
    }
    return 0;
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
