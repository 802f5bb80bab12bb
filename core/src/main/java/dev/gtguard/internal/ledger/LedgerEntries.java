package dev.gtguard.internal.ledger;

import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.internal.Numbers;
import dev.gtguard.ledger.WriteLedger;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkBytes;
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

  /** The token of the lost write this write re-applies, when it is a repair. */
  public static final String REAPPLIES = "reapplies";

  /** HMAC-SHA256 of the rest of the entry, when the ledger signs entries. */
  public static final String MAC = "mac";

  private LedgerEntries() {}

  /**
   * The ledger partition of one item: the table name, {@code #}, and the item's key attributes in a
   * canonical form (numbers as DynamoDB compares them), so that all entries of an item share a
   * partition and IAM {@code dynamodb:LeadingKeys} can fence a table's entries by prefix. Numbers
   * must have been validated ({@link Numbers}): their plain form is then bounded.
   */
  public static String itemId(String table, ItemKey key) {
    return prefix(table)
        + new TreeMap<>(key.asMap())
            .entrySet().stream()
                .map(e -> e.getKey() + "=" + canonical(e.getValue()))
                .collect(Collectors.joining("|"));
  }

  /** The prefix every item id of {@code table} starts with. */
  public static String prefix(String table) {
    return table + "#";
  }

  /** The ledger key of one entry. */
  public static Map<String, AttributeValue> key(
      WriteLedger ledger, String table, ItemKey key, String sortKey) {
    Map<String, AttributeValue> entryKey = new LinkedHashMap<>();
    entryKey.put(ledger.partitionKey(), AttributeValue.fromS(itemId(table, key)));
    entryKey.put(ledger.sortKey(), AttributeValue.fromS(sortKey));
    return entryKey;
  }

  /**
   * A ledger entry as stored: with its expiry when the ledger has a retention, and its MAC when it
   * signs entries.
   *
   * @param reapplies the token of the lost write this write re-applies, or null
   */
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
      boolean failover,
      String reapplies) {
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
    if (reapplies != null) {
      entry.put(REAPPLIES, AttributeValue.fromS(reapplies));
    }
    ledger
        .retention()
        .ifPresent(
            keep ->
                entry.put(
                    ledger.expiryAttribute(),
                    AttributeValue.fromN(
                        Long.toString(Instant.now().plus(keep).getEpochSecond()))));
    if (ledger.integrity() != null) {
      entry.put(
          MAC,
          AttributeValue.fromB(
              SdkBytes.fromByteArray(ledger.integrity().mac(entry, unsigned(ledger)))));
    }
    return entry;
  }

  /** An entry as read back, its MAC checked when the ledger signs entries. */
  public static LedgerEntry parse(WriteLedger ledger, Map<String, AttributeValue> entry) {
    AttributeValue parent = entry.get(PARENT);
    AttributeValue reapplies = entry.get(REAPPLIES);
    Boolean verified =
        ledger.integrity() == null
            ? null
            : ledger.integrity().verifies(entry, MAC, unsigned(ledger));
    return new LedgerEntry(
        entry.get(ledger.sortKey()).s(),
        ItemKey.fromMap(entry.get(KEY).m()),
        entry.get(OPERATION).s(),
        Long.parseLong(entry.get(VERSION).n()),
        entry.get(TOKEN).s(),
        parent == null ? null : parent.s(),
        entry.get(REGION).s(),
        entry.get(SET).m(),
        entry.get(REMOVE).l().stream().map(AttributeValue::s).toList(),
        Boolean.TRUE.equals(entry.get(FAILOVER).bool()),
        reapplies == null ? null : reapplies.s(),
        verified);
  }

  /** What the MAC does not cover: itself, and the expiry (TTL housekeeping). */
  private static List<String> unsigned(WriteLedger ledger) {
    return List.of(MAC, ledger.expiryAttribute());
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
