package dev.gtguard.internal;

import dev.gtguard.Changes;
import dev.gtguard.ExpectedVersion;
import dev.gtguard.ItemKey;
import dev.gtguard.exception.InvalidItemException.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Builds the expressions of versioned writes. Every placeholder the library uses starts with {@code
 * #gt_} or {@code :gt_}; a caller's condition may use any other names, so the two compose without
 * collisions.
 */
public final class VersionExpressions {
  public static final String NAME_PREFIX = "#gt_";
  public static final String VALUE_PREFIX = ":gt_";

  private VersionExpressions() {}

  /** The parts of one conditional UpdateItem. */
  public record Update(
      String updateExpression,
      String conditionExpression,
      Map<String, String> names,
      Map<String, AttributeValue> values) {}

  public static Update update(
      Changes changes,
      ExpectedVersion expected,
      String newToken,
      String partitionKey,
      String versionAttribute,
      String tokenAttribute,
      String parentAttribute) {
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    StringBuilder set = new StringBuilder("SET ");
    int i = 0;
    for (Map.Entry<String, AttributeValue> e : changes.set().entrySet()) {
      names.put(NAME_PREFIX + "s" + i, e.getKey());
      values.put(VALUE_PREFIX + "s" + i, e.getValue());
      set.append(NAME_PREFIX)
          .append('s')
          .append(i)
          .append(" = ")
          .append(VALUE_PREFIX)
          .append('s')
          .append(i)
          .append(", ");
      i++;
    }
    names.put("#gt_v", versionAttribute);
    names.put("#gt_t", tokenAttribute);
    values.put(":gt_nv", AttributeValue.fromN(Long.toString(expected.version() + 1)));
    values.put(":gt_nt", AttributeValue.fromS(newToken));
    set.append("#gt_v = :gt_nv, #gt_t = :gt_nt");
    // The parent token links each state to the one it was built on, so that the surviving history
    // can be followed from any replica's items and streams alone.
    names.put("#gt_p", parentAttribute);
    if (expected.token() != null) {
      values.put(":gt_et", AttributeValue.fromS(expected.token()));
      set.append(", #gt_p = :gt_et");
    }
    StringBuilder expression = set;
    List<String> removals = new ArrayList<>();
    int j = 0;
    for (String name : changes.remove()) {
      names.put(NAME_PREFIX + "r" + j, name);
      removals.add(NAME_PREFIX + "r" + j);
      j++;
    }
    if (expected.token() == null) {
      removals.add("#gt_p");
    }
    if (!removals.isEmpty()) {
      expression.append(" REMOVE ").append(String.join(", ", removals));
    }
    String condition =
        versionCondition(expected, partitionKey, versionAttribute, tokenAttribute, names, values);
    if (changes.condition().isPresent()) {
      Changes.Condition user = changes.condition().get();
      condition = "(" + condition + ") AND (" + user.expression() + ")";
      names.putAll(user.names());
      values.putAll(user.values());
    }
    return new Update(expression.toString(), condition, names, values);
  }

  /**
   * {@code #v = :expected AND #t = :token}; a missing token is checked as {@code
   * attribute_not_exists}, and version 0 (a legacy item) as "no version attribute, or 0, and the
   * item exists".
   */
  public static String versionCondition(
      ExpectedVersion expected,
      String partitionKey,
      String versionAttribute,
      String tokenAttribute,
      Map<String, String> names,
      Map<String, AttributeValue> values) {
    names.put("#gt_v", versionAttribute);
    names.put("#gt_t", tokenAttribute);
    String version;
    if (expected.version() == 0) {
      names.put("#gt_pk", partitionKey);
      values.put(":gt_ev", AttributeValue.fromN("0"));
      version = "attribute_exists(#gt_pk) AND (attribute_not_exists(#gt_v) OR #gt_v = :gt_ev)";
    } else {
      values.put(":gt_ev", AttributeValue.fromN(Long.toString(expected.version())));
      version = "#gt_v = :gt_ev";
    }
    String token;
    if (expected.token() == null) {
      token = "attribute_not_exists(#gt_t)";
    } else {
      values.put(":gt_et", AttributeValue.fromS(expected.token()));
      token = "#gt_t = :gt_et";
    }
    return version + " AND " + token;
  }

  /**
   * Refuses a caller's condition whose placeholders are malformed or use the library's prefixes.
   */
  public static void checkPlaceholders(Changes changes, KeySchema schema, ItemKey key) {
    if (changes.condition().isEmpty()) {
      return;
    }
    Changes.Condition c = changes.condition().get();
    for (String name : c.names().keySet()) {
      if (!name.startsWith("#") || name.startsWith(NAME_PREFIX)) {
        throw schema.invalid(
            Reason.RESERVED_PLACEHOLDER,
            "condition name placeholder '"
                + name
                + "' must start with '#' and not with '"
                + NAME_PREFIX
                + "'",
            key);
      }
    }
    for (String name : c.values().keySet()) {
      if (!name.startsWith(":") || name.startsWith(VALUE_PREFIX)) {
        throw schema.invalid(
            Reason.RESERVED_PLACEHOLDER,
            "condition value placeholder '"
                + name
                + "' must start with ':' and not with '"
                + VALUE_PREFIX
                + "'",
            key);
      }
    }
  }
}
