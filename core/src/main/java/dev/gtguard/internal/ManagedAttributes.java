package dev.gtguard.internal;

import dev.gtguard.Changes;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The attributes the library owns on every versioned item: version, write token and parent token.
 * One place decides what counts as bookkeeping, for writes and for every detector.
 */
public record ManagedAttributes(String version, String token, String parent) {

  public boolean contains(String name) {
    return name.equals(version) || name.equals(token) || name.equals(parent);
  }

  /** A copy of {@code item} without the managed attributes. */
  public Map<String, AttributeValue> strip(Map<String, AttributeValue> item) {
    Map<String, AttributeValue> copy = new LinkedHashMap<>(item);
    copy.remove(version);
    copy.remove(token);
    copy.remove(parent);
    return copy;
  }

  /** What turns {@code from} into {@code to}, bookkeeping left out. */
  public Changes changesBetween(Map<String, AttributeValue> from, Map<String, AttributeValue> to) {
    return Changes.between(strip(from), strip(to));
  }
}
