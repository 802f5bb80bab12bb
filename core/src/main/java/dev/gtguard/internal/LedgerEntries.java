package dev.gtguard.internal;

import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.ledger.WriteLedger;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The format of a write ledger entry: written by the ledger executor, read by the reconciler. One
 * place, so that the two cannot drift apart.
 */
public final class LedgerEntries {
  public static final String TABLE = "table_name";
  public static final String KEY = "item_key";
  public static final String OPERATION = "op";
  public static final String VERSION = "version";
  public static final String TOKEN = "token";
  public static final String PARENT = "parent_token";
  public static final String REGION = "region";
  public static final String SET = "set";
  public static final String REMOVE = "remove";
  public static final String FAILOVER = "failover";

  private LedgerEntries() {}

  /**
   * The ledger partition of one item: the table name and the item's key attributes in a canonical
   * form (numbers as DynamoDB compares them), so that all entries of an item share a partition.
   * Numbers must have been validated ({@link Numbers}): their plain form is then bounded.
   */
  public static String itemId(String table, ItemKey key) {
    return table
        + "#"
        + new TreeMap<>(key.asMap())
            .entrySet().stream()
                .map(e -> e.getKey() + "=" + canonical(e.getValue()))
                .collect(Collectors.joining("|"));
  }

  /** The ledger key of one entry. */
  public static Map<String, AttributeValue> key(
      WriteLedger ledger, String table, ItemKey key, String sortKey) {
    Map<String, AttributeValue> entryKey = new LinkedHashMap<>();
    entryKey.put(ledger.partitionKey(), AttributeValue.fromS(itemId(table, key)));
    entryKey.put(ledger.sortKey(), AttributeValue.fromS(sortKey));
    return entryKey;
  }

  /** A ledger entry as stored. */
  public static Map<String, AttributeValue> entry(
      WriteLedger ledger,
      String sortKey,
      String table,
      ItemKey key,
      String operation,
      long version,
      String token,
      String parentToken,
      String region,
      Changes changes,
      boolean failover) {
    Map<String, AttributeValue> entry = key(ledger, table, key, sortKey);
    entry.put(TABLE, AttributeValue.fromS(table));
    entry.put(KEY, AttributeValue.fromM(key.asMap()));
    entry.put(OPERATION, AttributeValue.fromS(operation));
    entry.put(VERSION, AttributeValue.fromN(Long.toString(version)));
    entry.put(TOKEN, AttributeValue.fromS(token));
    if (parentToken != null) {
      entry.put(PARENT, AttributeValue.fromS(parentToken));
    }
    entry.put(REGION, AttributeValue.fromS(region));
    entry.put(SET, AttributeValue.fromM(changes.set()));
    entry.put(
        REMOVE,
        AttributeValue.fromL(changes.remove().stream().map(AttributeValue::fromS).toList()));
    entry.put(FAILOVER, AttributeValue.fromBool(failover));
    return entry;
  }

  private static String canonical(AttributeValue v) {
    if (v.s() != null) {
      return "S:" + v.s();
    }
    if (v.n() != null) {
      return "N:" + Numbers.canonical(v.n());
    }
    return "B:" + Base64.getEncoder().encodeToString(v.b().asByteArrayUnsafe());
  }
}
