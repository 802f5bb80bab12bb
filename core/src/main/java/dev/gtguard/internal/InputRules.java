package dev.gtguard.internal;

import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.TableDescription;
import dev.gtguard.VersionedItem;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.InvalidItemException.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The input rules every write passes before anything is sent: key shape, reserved names, managed
 * attributes, numbers, size, placeholders. Each broken rule is an {@link InvalidItemException}
 * naming it; nothing is written.
 */
public final class InputRules {
  /** Global Tables keep their replication metadata under this prefix; writing it is refused. */
  public static final String RESERVED_PREFIX = "aws:rep:";

  /** Prefix of every expression attribute name the library uses. */
  public static final String NAME_PREFIX = "#gt_";

  /** Prefix of every expression attribute value the library uses. */
  public static final String VALUE_PREFIX = ":gt_";

  /** As long as a ULID write token, for size checks before the token is drawn. */
  private static final AttributeValue TOKEN_SIZE = AttributeValue.fromS("0".repeat(26));

  private static final AttributeValue MAX_VERSION =
      AttributeValue.fromN(Long.toString(Long.MAX_VALUE));

  private final TableDescription table;

  public InputRules(TableDescription table) {
    this.table = table;
  }

  public TableDescription table() {
    return table;
  }

  /** Checks the key has exactly this table's key attributes, each a valid non-empty S, N or B. */
  public ItemKey validate(ItemKey key) {
    if (key == null) {
      throw invalid(Reason.MISSING_KEY, "key must not be null", null);
    }
    Map<String, AttributeValue> map = key.asMap();
    checkKeyValue(table.partitionKey(), map.get(table.partitionKey()), key);
    table.sortKey().ifPresent(sk -> checkKeyValue(sk, map.get(sk), key));
    if (map.size() != (table.sortKey().isPresent() ? 2 : 1)) {
      throw invalid(
          Reason.MISSING_KEY,
          "key "
              + key
              + " must hold exactly the key attributes ["
              + table.partitionKey()
              + table.sortKey().map(sk -> ", " + sk).orElse("")
              + "]",
          key);
    }
    return key;
  }

  /** The key of a whole item, checked. */
  public ItemKey keyOf(Map<String, AttributeValue> item) {
    String pkName = table.partitionKey();
    String skName = table.sortKey().orElse(null);
    AttributeValue pk = item.get(pkName);
    AttributeValue sk = skName == null ? null : item.get(skName);
    ItemKey itemKey;
    if (pk != null && (skName == null || sk != null)) {
      itemKey = skName == null ? ItemKey.of(pkName, pk) : ItemKey.of(pkName, pk, skName, sk);
    } else { // the key attributes there are, for the message that one is missing
      Map<String, AttributeValue> key = new LinkedHashMap<>();
      if (pk != null) {
        key.put(pkName, pk);
      }
      if (sk != null) {
        key.put(skName, sk);
      }
      itemKey = ItemKey.fromMap(key);
    }
    checkKeyValue(pkName, pk, itemKey);
    if (skName != null) {
      checkKeyValue(skName, sk, itemKey);
    }
    return itemKey;
  }

  /**
   * Checks a new versioned item: key, names, numbers, no managed attribute, and size once the
   * library's version and token are added.
   *
   * @return the item's key
   */
  public ItemKey checkCreate(Map<String, AttributeValue> item) {
    ItemKey key = keyOf(item);
    item.forEach(
        (name, value) -> {
          checkNotReserved(name, key);
          if (table.managedAttributes().contains(name)) {
            throw invalid(
                Reason.VERSION_CHANGED,
                "attribute '" + name + "' is managed by the library; leave it out of created items",
                key);
          }
          checkValue(name, value, key);
        });
    Map<String, AttributeValue> stored = new LinkedHashMap<>(item);
    stored.put(table.versionAttribute(), AttributeValue.fromN("1"));
    stored.put(table.tokenAttribute(), TOKEN_SIZE);
    checkSize(stored, key);
    return key;
  }

  /**
   * Checks an item for an append-only table: key, names, numbers, size.
   *
   * @return the item's key
   */
  public ItemKey checkAppend(Map<String, AttributeValue> item) {
    ItemKey key = keyOf(item);
    item.forEach(
        (name, value) -> {
          checkNotReserved(name, key);
          checkValue(name, value, key);
        });
    checkSize(item, key);
    return key;
  }

  /**
   * Applies the input rules to changes. Setting a key or managed attribute to the value it already
   * has is harmless and dropped (a function that copies the whole item does that); changing or
   * removing one is refused. {@code current} is the item the changes apply to, or {@code null} when
   * it is not known (a single-shot update): then its size cannot be checked here.
   *
   * @return the changes to write
   */
  public Changes checkChanges(ItemKey key, VersionedItem current, Changes changes) {
    if (changes == null) {
      throw new NullPointerException("the update function returned null; return Changes.none()");
    }
    checkPlaceholders(changes, key);
    // The size after the changes, from the state's size (computed once per state) and the
    // attributes the changes touch: no copy of the item per attempt. (Set and removed names are
    // disjoint, and a managed attribute is never among them once checked.)
    Map<String, AttributeValue> before = current == null ? key.asMap() : current.attributes();
    long size = current == null ? ItemSizes.of(before) : VersionedItems.size(current);
    List<String> dropped = null; // set to the value they have: harmless, left out
    for (Map.Entry<String, AttributeValue> e : changes.set().entrySet()) {
      String name = e.getKey();
      AttributeValue value = e.getValue();
      checkNotReserved(name, key);
      if (table.isKeyAttribute(name)) {
        if (!value.equals(key.get(name))) {
          throw invalid(
              Reason.KEY_CHANGED,
              "changes set key attribute '" + name + "'; an item's key never changes",
              key);
        }
        dropped = add(dropped, name);
      } else if (table.managedAttributes().contains(name)) {
        if (current == null || !value.equals(current.get(name))) {
          throw invalid(
              Reason.VERSION_CHANGED, "changes set '" + name + "', which the library manages", key);
        }
        dropped = add(dropped, name);
      } else {
        checkValue(name, value, key);
        size += entrySize(name, value) - entrySize(name, before.get(name));
      }
    }
    for (String name : changes.remove()) {
      checkNotReserved(name, key);
      if (table.isKeyAttribute(name)) {
        throw invalid(Reason.KEY_CHANGED, "changes remove key attribute '" + name + "'", key);
      }
      if (table.managedAttributes().contains(name)) {
        throw invalid(
            Reason.VERSION_CHANGED,
            "changes remove '" + name + "', which the library manages",
            key);
      }
      size -= entrySize(name, before.get(name));
    }
    size += managedSize(table.versionAttribute(), MAX_VERSION, before);
    size += managedSize(table.tokenAttribute(), TOKEN_SIZE, before);
    size += managedSize(table.parentTokenAttribute(), TOKEN_SIZE, before);
    checkSize(size, key);
    return dropped == null ? changes : without(changes, dropped);
  }

  private static List<String> add(List<String> names, String name) {
    List<String> to = names == null ? new ArrayList<>(2) : names;
    to.add(name);
    return to;
  }

  /** What writing a managed attribute at its largest adds to an item that is {@code before}. */
  private static long managedSize(
      String name, AttributeValue largest, Map<String, AttributeValue> before) {
    return entrySize(name, largest) - entrySize(name, before.get(name));
  }

  /** {@code changes} without the set attributes {@code dropped}. */
  private static Changes without(Changes changes, List<String> dropped) {
    Changes.Builder kept = Changes.builder();
    changes.condition().ifPresent(c -> kept.condition(c.expression(), c.names(), c.values()));
    changes
        .set()
        .forEach(
            (name, value) -> {
              if (!dropped.contains(name)) {
                kept.set(name, value);
              }
            });
    changes.remove().forEach(kept::remove);
    return kept.build();
  }

  /** Refuses a write whose next version would not fit in a {@code long}. */
  public void checkNextVersion(long version, ItemKey key) {
    if (version == Long.MAX_VALUE) {
      throw invalid(
          Reason.VERSION_OVERFLOW,
          "item "
              + key
              + " is at version "
              + version
              + ", the largest there is; it takes no writes",
          key);
    }
  }

  /** Refuses a legacy item (no version attribute) when the table does not adopt them. */
  public VersionedItem checkAdoptable(VersionedItem item, ItemKey key) {
    if (item.isLegacy() && !table.adoptLegacyItems()) {
      throw invalid(
          Reason.VERSION_MISSING,
          "item "
              + key
              + " has no '"
              + table.versionAttribute()
              + "' attribute and legacy items are not adopted",
          key);
    }
    return item;
  }

  public void checkNotReserved(String attributeName, ItemKey key) {
    if (attributeName.startsWith(RESERVED_PREFIX)) {
      throw invalid(
          Reason.RESERVED_ATTRIBUTE,
          "attribute name '"
              + attributeName
              + "' is reserved: Global Tables keep replication metadata under '"
              + RESERVED_PREFIX
              + "'",
          key);
    }
  }

  public void checkSize(Map<String, AttributeValue> item, ItemKey key) {
    checkSize(ItemSizes.of(item), key);
  }

  private static long entrySize(String name, AttributeValue value) {
    return value == null ? 0 : ItemSizes.utf8(name) + ItemSizes.of(value);
  }

  private void checkSize(long size, ItemKey key) {
    if (size > ItemSizes.MAX_ITEM_BYTES) {
      throw invalid(
          Reason.ITEM_TOO_LARGE,
          "item "
              + key
              + " would be "
              + size
              + " bytes; DynamoDB's limit is "
              + ItemSizes.MAX_ITEM_BYTES
              + " bytes (400 KB), attribute names included",
          key);
    }
  }

  public InvalidItemException invalid(Reason reason, String message, ItemKey key) {
    return new InvalidItemException(
        reason, message + " (table " + table.tableName() + ")", table.tableName(), key, null);
  }

  /** Refuses numbers DynamoDB would not store, wherever they are in the value. */
  private void checkValue(String name, AttributeValue value, ItemKey key) {
    switch (value.type()) {
      case N -> checkNumber(name, value.n(), key);
      case NS -> value.ns().forEach(n -> checkNumber(name, n, key));
      case L -> value.l().forEach(v -> checkValue(name, v, key));
      case M -> value.m().values().forEach(v -> checkValue(name, v, key));
      default -> {}
    }
  }

  private void checkNumber(String name, String n, ItemKey key) {
    String problem = Numbers.problem(n);
    if (problem != null) {
      throw invalid(Reason.INVALID_NUMBER, "attribute '" + name + "': " + problem, key);
    }
  }

  /** Refuses a caller's condition whose placeholders are malformed or use the library's. */
  private void checkPlaceholders(Changes changes, ItemKey key) {
    if (changes.condition().isEmpty()) {
      return;
    }
    Changes.Condition c = changes.condition().get();
    for (String name : c.names().keySet()) {
      if (!name.startsWith("#") || name.startsWith(NAME_PREFIX)) {
        throw invalid(
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
        throw invalid(
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

  private void checkKeyValue(String name, AttributeValue value, ItemKey key) {
    if (value == null) {
      throw invalid(Reason.MISSING_KEY, "key attribute '" + name + "' is missing from " + key, key);
    }
    boolean empty =
        switch (value.type()) {
          case S -> value.s().isEmpty();
          case N -> {
            String problem = Numbers.problem(value.n());
            if (problem != null) {
              throw invalid(Reason.INVALID_NUMBER, "key attribute '" + name + "': " + problem, key);
            }
            yield false;
          }
          case B -> value.b().asByteArrayUnsafe().length == 0;
          default ->
              throw invalid(
                  Reason.MISSING_KEY,
                  "key attribute '"
                      + name
                      + "' must be a string, number or binary, was "
                      + value.type(),
                  key);
        };
    if (empty) {
      throw invalid(Reason.MISSING_KEY, "key attribute '" + name + "' must not be empty", key);
    }
  }
}
