package dev.gtguard.internal.write;

import com.github.f4b6a3.ulid.UlidCreator;
import dev.gtguard.Changes;
import dev.gtguard.ExpectedVersion;
import dev.gtguard.ItemKey;
import dev.gtguard.TableDescription;
import dev.gtguard.spi.WriteOperation;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * One attempt of a versioned write, ready to send to one region: its condition, placeholder names
 * and values are built once, here, and rendered either as a plain request or as a transaction item.
 * Every placeholder starts with {@code #gt_} or {@code :gt_}, so a caller's own condition composes
 * without collisions. Immutable.
 */
public final class VersionedWrite {
  private static final ReturnValuesOnConditionCheckFailure ALL_OLD =
      ReturnValuesOnConditionCheckFailure.ALL_OLD;

  private final WriteOperation operation;
  private final String tableName;
  private final ItemKey key;
  private final ExpectedVersion expected;
  private final long version;
  private final String token;
  private final Changes changes;
  private final Map<String, AttributeValue> item;
  private final String updateExpression;
  private final String condition;
  private final Map<String, String> names;
  private final Map<String, AttributeValue> values;
  private final String reapplies;

  /** Drawn when a ledger first asks: writes without a ledger never draw one. */
  private String ledgerSortKey;

  private VersionedWrite(
      WriteOperation operation,
      String tableName,
      ItemKey key,
      ExpectedVersion expected,
      long version,
      String token,
      Changes changes,
      Map<String, AttributeValue> item,
      String updateExpression,
      String condition,
      Map<String, String> names,
      Map<String, AttributeValue> values,
      String reapplies) {
    this.operation = operation;
    this.tableName = tableName;
    this.key = key;
    this.expected = expected;
    this.version = version;
    this.token = token;
    this.changes = changes;
    this.item = item;
    this.updateExpression = updateExpression;
    this.condition = condition;
    this.names = Collections.unmodifiableMap(names);
    this.values = Collections.unmodifiableMap(values);
    this.reapplies = reapplies;
  }

  /** Puts a new item at version 1 with {@code token}, if no item has its key. */
  public static VersionedWrite create(
      TableDescription table, ItemKey key, Map<String, AttributeValue> item, String token) {
    Map<String, AttributeValue> stored = new LinkedHashMap<>(item);
    stored.put(table.versionAttribute(), AttributeValue.fromN("1"));
    stored.put(table.tokenAttribute(), AttributeValue.fromS(token));
    Map<String, String> names = new LinkedHashMap<>();
    names.put("#gt_pk", table.partitionKey());
    return new VersionedWrite(
        WriteOperation.CREATE,
        table.tableName(),
        key,
        null,
        1,
        token,
        Changes.between(Map.of(), item),
        Collections.unmodifiableMap(stored),
        null,
        "attribute_not_exists(#gt_pk)",
        names,
        new LinkedHashMap<>(),
        null);
  }

  /**
   * Sets and removes {@code changes}, moves the version to {@code expected + 1} and the token to
   * {@code token}, records {@code expected}'s token as the parent; only if the item is still at
   * {@code expected} (and, on a routed write, still homed in the route's region).
   */
  public static VersionedWrite update(
      TableDescription table,
      ItemKey key,
      ExpectedVersion expected,
      Changes changes,
      String token,
      Route route) {
    return update(table, key, expected, changes, token, route, null);
  }

  /**
   * As {@link #update(TableDescription, ItemKey, ExpectedVersion, Changes, String, Route)}, for a
   * repair: its ledger entry records {@code reapplies}, the token of the lost write it re-applies.
   */
  public static VersionedWrite update(
      TableDescription table,
      ItemKey key,
      ExpectedVersion expected,
      Changes changes,
      String token,
      Route route,
      String reapplies) {
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    int i = 0;
    for (Map.Entry<String, AttributeValue> e : changes.set().entrySet()) {
      names.put(UpdateExpressions.setName(i), e.getKey());
      values.put(UpdateExpressions.setValue(i), e.getValue());
      i++;
    }
    names.put("#gt_v", table.versionAttribute());
    names.put("#gt_t", table.tokenAttribute());
    // The parent token links each state to the one it was built on, so that the surviving history
    // can be followed from any replica's items and streams alone.
    names.put("#gt_p", table.parentTokenAttribute());
    values.put(":gt_nv", AttributeValue.fromN(Long.toString(expected.version() + 1)));
    values.put(":gt_nt", AttributeValue.fromS(token));
    int j = 0;
    for (String name : changes.remove()) {
      names.put(UpdateExpressions.removeName(j), name);
      j++;
    }
    String update = UpdateExpressions.of(i, j, expected.token() != null);
    String condition = versionCondition(table, expected, route, names, values);
    if (changes.condition().isPresent()) {
      Changes.Condition user = changes.condition().get();
      condition = "(" + condition + ") AND (" + user.expression() + ")";
      names.putAll(user.names());
      values.putAll(user.values());
    }
    return new VersionedWrite(
        WriteOperation.UPDATE,
        table.tableName(),
        key,
        expected,
        expected.version() + 1,
        token,
        changes,
        null,
        update,
        condition,
        names,
        values,
        reapplies);
  }

  /**
   * Deletes the item if it is still at {@code expected}. {@code token} names the delete in the
   * ledger, which records it as the item's next version.
   */
  public static VersionedWrite delete(
      TableDescription table, ItemKey key, ExpectedVersion expected, String token, Route route) {
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    String condition = versionCondition(table, expected, route, names, values);
    return new VersionedWrite(
        WriteOperation.DELETE,
        table.tableName(),
        key,
        expected,
        expected.version() + 1,
        token,
        Changes.none(),
        null,
        null,
        condition,
        names,
        values,
        null);
  }

  /**
   * {@code #v = :expected AND #t = :token}; a missing token is checked as {@code
   * attribute_not_exists}, and version 0 (a legacy item) as "no version attribute, or 0, and the
   * item exists"; on a routed write also {@code #h = :region}.
   */
  private static String versionCondition(
      TableDescription table,
      ExpectedVersion expected,
      Route route,
      Map<String, String> names,
      Map<String, AttributeValue> values) {
    names.put("#gt_v", table.versionAttribute());
    names.put("#gt_t", table.tokenAttribute());
    boolean legacy = expected.version() == 0;
    if (legacy) {
      names.put("#gt_pk", table.partitionKey());
      values.put(":gt_ev", AttributeValue.fromN("0"));
    } else {
      values.put(":gt_ev", AttributeValue.fromN(Long.toString(expected.version())));
    }
    boolean token = expected.token() != null;
    if (token) {
      values.put(":gt_et", AttributeValue.fromS(expected.token()));
    }
    if (route.checkHome()) {
      names.put("#gt_h", route.homeAttribute());
      values.put(":gt_h", AttributeValue.fromS(route.region()));
    }
    return CONDITIONS[(legacy ? 4 : 0) | (token ? 2 : 0) | (route.checkHome() ? 1 : 0)];
  }

  /**
   * The version conditions, built once: index bit 4 a legacy item (version 0), bit 2 an expected
   * token, bit 1 a routed write that checks the home attribute.
   */
  private static final String[] CONDITIONS = new String[8];

  static {
    for (int i = 0; i < 8; i++) {
      String condition =
          (i & 4) != 0
              ? "attribute_exists(#gt_pk) AND (attribute_not_exists(#gt_v) OR #gt_v = :gt_ev)"
              : "#gt_v = :gt_ev";
      condition += (i & 2) != 0 ? " AND #gt_t = :gt_et" : " AND attribute_not_exists(#gt_t)";
      if ((i & 1) != 0) {
        condition += " AND #gt_h = :gt_h";
      }
      CONDITIONS[i] = condition;
    }
  }

  public WriteOperation operation() {
    return operation;
  }

  public ItemKey key() {
    return key;
  }

  /** The state this write must find; {@code null} for a create. */
  public ExpectedVersion expected() {
    return expected;
  }

  /** The version this write stores (for a delete, the version its ledger entry records). */
  public long version() {
    return version;
  }

  /** The write token this write stores: its identity. */
  public String token() {
    return token;
  }

  /** The token of the state this write is built on, stored as its parent; null for a create. */
  public String parentToken() {
    return expected == null ? null : expected.token();
  }

  /** What this write sets and removes (a create: every attribute of the new item). */
  public Changes changes() {
    return changes;
  }

  /** For a create: the whole item as stored. */
  public Map<String, AttributeValue> item() {
    return item;
  }

  /** For a repair, the token of the lost write it re-applies; else null. */
  public String reapplies() {
    return reapplies;
  }

  /** The ULID sort key of this attempt's ledger entry: drawn on first use, then always the same. */
  public synchronized String ledgerSortKey() {
    if (ledgerSortKey == null) {
      ledgerSortKey = UlidCreator.getMonotonicUlid().toString();
    }
    return ledgerSortKey;
  }

  public String tableName() {
    return tableName;
  }

  public PutItemRequest putRequest() {
    return PutItemRequest.builder()
        .tableName(tableName)
        .item(item)
        .conditionExpression(condition)
        .expressionAttributeNames(names)
        .returnValuesOnConditionCheckFailure(ALL_OLD)
        .build();
  }

  public UpdateItemRequest updateRequest() {
    return UpdateItemRequest.builder()
        .tableName(tableName)
        .key(key.asMap())
        .updateExpression(updateExpression)
        .conditionExpression(condition)
        .expressionAttributeNames(names)
        .expressionAttributeValues(values)
        .returnValues(ReturnValue.ALL_NEW)
        .returnValuesOnConditionCheckFailure(ALL_OLD)
        .build();
  }

  public DeleteItemRequest deleteRequest() {
    return DeleteItemRequest.builder()
        .tableName(tableName)
        .key(key.asMap())
        .conditionExpression(condition)
        .expressionAttributeNames(names)
        .expressionAttributeValues(values)
        .returnValuesOnConditionCheckFailure(ALL_OLD)
        .build();
  }

  /** The same write as one item of a {@code TransactWriteItems}. */
  public TransactWriteItem transactItem() {
    Map<String, AttributeValue> noValues = values.isEmpty() ? null : values;
    return switch (operation) {
      case CREATE ->
          TransactWriteItem.builder()
              .put(
                  Put.builder()
                      .tableName(tableName)
                      .item(item)
                      .conditionExpression(condition)
                      .expressionAttributeNames(names)
                      .returnValuesOnConditionCheckFailure(ALL_OLD)
                      .build())
              .build();
      case UPDATE ->
          TransactWriteItem.builder()
              .update(
                  Update.builder()
                      .tableName(tableName)
                      .key(key.asMap())
                      .updateExpression(updateExpression)
                      .conditionExpression(condition)
                      .expressionAttributeNames(names)
                      .expressionAttributeValues(noValues)
                      .returnValuesOnConditionCheckFailure(ALL_OLD)
                      .build())
              .build();
      case DELETE ->
          TransactWriteItem.builder()
              .delete(
                  Delete.builder()
                      .tableName(tableName)
                      .key(key.asMap())
                      .conditionExpression(condition)
                      .expressionAttributeNames(names)
                      .expressionAttributeValues(noValues)
                      .returnValuesOnConditionCheckFailure(ALL_OLD)
                      .build())
              .build();
      case APPEND -> throw new IllegalStateException("appends are not versioned writes");
    };
  }

  @Override
  public String toString() {
    return operation + " " + tableName + " " + key + " v" + version + " token " + token;
  }
}
