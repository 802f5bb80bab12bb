package dev.gtguard.internal;

import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.TableDescription;
import dev.gtguard.VersionedItem;
import dev.gtguard.exception.InvalidItemException.Reason;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the library's bookkeeping (version, write token, parent token) out of items and writes it
 * into them. One place decides what counts as bookkeeping, for writes and for every detector.
 */
public final class ItemCodec {
  private final TableDescription table;
  private final InputRules rules;

  public ItemCodec(InputRules rules) {
    this.rules = rules;
    this.table = rules.table();
  }

  public TableDescription table() {
    return table;
  }

  /**
   * An item as a {@link VersionedItem}.
   *
   * @throws dev.gtguard.exception.InvalidItemException ({@code VERSION_TYPE}) if the stored version
   *     is not a whole number or the token not a string
   */
  public VersionedItem read(Map<String, AttributeValue> item, ItemKey key) {
    return decode(item, key, false);
  }

  /**
   * As {@link #read}, over {@code item} as it is (not copied): only for maps nobody changes any
   * more, such as the SDK's responses (immutable) and maps built here for the state.
   */
  public VersionedItem readOwned(Map<String, AttributeValue> item, ItemKey key) {
    return decode(item, key, true);
  }

  private VersionedItem decode(Map<String, AttributeValue> item, ItemKey key, boolean owned) {
    AttributeValue token = item.get(table.tokenAttribute());
    if (token != null && token.s() == null) {
      throw rules.invalid(
          Reason.VERSION_TYPE,
          "stored write token '"
              + table.tokenAttribute()
              + "' of "
              + key
              + " is not a string: "
              + token.type(),
          key);
    }
    String tokenValue = token == null ? null : token.s();
    AttributeValue version = item.get(table.versionAttribute());
    if (version == null) {
      return state(item, 0, tokenValue, true, owned);
    }
    Long v = wholeNumber(version);
    if (v == null) {
      throw rules.invalid(
          Reason.VERSION_TYPE,
          "stored version '"
              + table.versionAttribute()
              + "' of "
              + key
              + " is not a whole number: "
              + version,
          key);
    }
    return state(item, v, tokenValue, false, owned);
  }

  private static VersionedItem state(
      Map<String, AttributeValue> item, long version, String token, boolean legacy, boolean owned) {
    return owned
        ? VersionedItems.owned(item, version, token, legacy)
        : new VersionedItem(item, version, token, legacy);
  }

  /** The version in an image, or {@code null} when it has none or none that is a whole number. */
  public Long version(Map<String, AttributeValue> image) {
    AttributeValue version = image.get(table.versionAttribute());
    return version == null ? null : wholeNumber(version);
  }

  /** The write token in an image, or {@code null}. */
  public String token(Map<String, AttributeValue> image) {
    AttributeValue token = image.get(table.tokenAttribute());
    return token == null ? null : token.s();
  }

  /** The parent token in an image: the token of the state its write was built on, or null. */
  public String parentToken(Map<String, AttributeValue> image) {
    AttributeValue parent = image.get(table.parentTokenAttribute());
    return parent == null ? null : parent.s();
  }

  /**
   * The item after {@code changes} were applied to {@code base} at {@code version}, {@code token}:
   * what an update that DynamoDB acknowledged without returning the item (a transaction) stored.
   */
  public Map<String, AttributeValue> applied(
      Map<String, AttributeValue> base,
      String baseToken,
      Changes changes,
      long version,
      String token) {
    Map<String, AttributeValue> item = new LinkedHashMap<>(base);
    item.putAll(changes.set());
    changes.remove().forEach(item::remove);
    item.put(table.versionAttribute(), AttributeValue.fromN(Long.toString(version)));
    item.put(table.tokenAttribute(), AttributeValue.fromS(token));
    if (baseToken != null) {
      item.put(table.parentTokenAttribute(), AttributeValue.fromS(baseToken));
    } else {
      item.remove(table.parentTokenAttribute());
    }
    return item;
  }

  /** A copy of {@code item} without the managed attributes. */
  public Map<String, AttributeValue> strip(Map<String, AttributeValue> item) {
    Map<String, AttributeValue> copy = new LinkedHashMap<>(item);
    copy.keySet().removeAll(table.managedAttributes());
    return copy;
  }

  /** What turns {@code from} into {@code to}, bookkeeping left out. */
  public Changes changesBetween(Map<String, AttributeValue> from, Map<String, AttributeValue> to) {
    return Changes.between(strip(from), strip(to));
  }

  /** A non-negative whole number that fits a long, or null. */
  private static Long wholeNumber(AttributeValue value) {
    if (value.n() == null) {
      return null;
    }
    try {
      long v = Long.parseLong(value.n().trim());
      return v < 0 ? null : v;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
