package dev.gtguard;

import dev.gtguard.internal.ItemSizes;
import dev.gtguard.internal.VersionedItems;
import dev.gtguard.ledger.Reconciler;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One item as read from (or written to) a {@link VersionedTable}: all its attributes plus the
 * version and write token the library keeps in two of them. Immutable.
 *
 * <pre>{@code
 * VersionedItem item = table.get(key).orElseThrow();
 * String address = item.attributes().get("delivery_address").s();
 * long version = item.version();
 * }</pre>
 */
public final class VersionedItem {
  static {
    VersionedItems.install(
        new VersionedItems() {
          @Override
          protected VersionedItem acknowledgedIn(
              VersionedItem item, String region, Changes changes) {
            // The same state: its attributes are already an unmodifiable copy, shared as is.
            return new VersionedItem(item, region, changes);
          }

          @Override
          protected long sizeOf(VersionedItem item) {
            return item.size();
          }

          @Override
          protected Optional<Changes> changesOf(VersionedItem item) {
            return Optional.ofNullable(item.writtenChanges);
          }

          @Override
          protected VersionedItem ownedState(
              Map<String, AttributeValue> attributes,
              long version,
              String writeToken,
              boolean legacy) {
            return new VersionedItem(
                Collections.unmodifiableMap(attributes), version, writeToken, legacy, true);
          }
        });
  }

  private final Map<String, AttributeValue> attributes;
  private final long version;
  private final String writeToken;
  private final boolean legacy;
  private final String writtenIn;
  private final Changes writtenChanges;

  /** DynamoDB's size of the attributes, or -1 until first asked (racy but idempotent). */
  private long size = -1;

  /**
   * @param attributes every attribute of the item, including the version and token attributes
   * @param version the version, 0 for a legacy item without a version attribute
   * @param writeToken the write token, or {@code null} if the item has none
   * @param legacy whether the item has no version attribute yet
   */
  public VersionedItem(
      Map<String, AttributeValue> attributes, long version, String writeToken, boolean legacy) {
    this(attributes, version, writeToken, legacy, null, null);
  }

  /** A state over attributes nobody changes any more: kept as they are, not copied. */
  private VersionedItem(
      Map<String, AttributeValue> unmodifiable,
      long version,
      String writeToken,
      boolean legacy,
      boolean owned) {
    this.attributes = unmodifiable;
    this.version = version;
    this.writeToken = writeToken;
    this.legacy = legacy;
    this.writtenIn = null;
    this.writtenChanges = null;
  }

  private VersionedItem(
      Map<String, AttributeValue> attributes,
      long version,
      String writeToken,
      boolean legacy,
      String writtenIn,
      Changes writtenChanges) {
    this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    this.version = version;
    this.writeToken = writeToken;
    this.legacy = legacy;
    this.writtenIn = writtenIn;
    this.writtenChanges = writtenChanges;
  }

  /** A state acknowledged by {@code region}: shares {@code item}'s attributes and size. */
  private VersionedItem(VersionedItem item, String writtenIn, Changes writtenChanges) {
    this.attributes = item.attributes;
    this.version = item.version;
    this.writeToken = item.writeToken;
    this.legacy = item.legacy;
    this.writtenIn = writtenIn;
    this.writtenChanges = writtenChanges;
    this.size = item.size;
  }

  /** DynamoDB's size of this state, computed once, on first use. */
  private long size() {
    long known = size;
    if (known < 0) {
      known = ItemSizes.of(attributes);
      size = known;
    }
    return known;
  }

  /** Every attribute, unmodifiable, including the version and write-token attributes. */
  public Map<String, AttributeValue> attributes() {
    return attributes;
  }

  /** One attribute's value, or {@code null}. */
  public AttributeValue get(String name) {
    return attributes.get(name);
  }

  /** The version; 0 for a legacy item that has never been written through this library. */
  public long version() {
    return version;
  }

  /** The write token of the write that produced this state, if it has one. */
  public Optional<String> writeToken() {
    return Optional.ofNullable(writeToken);
  }

  /** Whether this item has no version attribute yet (its first update adopts it as version 0). */
  public boolean isLegacy() {
    return legacy;
  }

  /**
   * The region that acknowledged the write that produced this state, for states returned by a
   * write; empty for states that were read. When such a state is passed back to {@code update}, a
   * same-version state with another token found in that region shows the write was overwritten by
   * replication there, and it is reported as a {@link LostWrite}. With two regions that is final;
   * with three or more, a third region may have built on the write before the overwrite reached it
   * and still win, so confirm with the write ledger ({@link Reconciler}).
   */
  public Optional<String> writtenIn() {
    return Optional.ofNullable(writtenIn);
  }

  /** What a single-shot write must find for this state to still be current. */
  public ExpectedVersion expected() {
    return new ExpectedVersion(version, writeToken);
  }

  /** Equal states are equal wherever they were written: {@link #writtenIn()} is not compared. */
  @Override
  public boolean equals(Object o) {
    return o instanceof VersionedItem other
        && version == other.version
        && legacy == other.legacy
        && Objects.equals(writeToken, other.writeToken)
        && attributes.equals(other.attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(attributes, version, writeToken, legacy);
  }

  /** Version, token and attribute names; never values (they may be personal data). */
  @Override
  public String toString() {
    return "VersionedItem{version="
        + version
        + ", writeToken="
        + writeToken
        + (legacy ? ", legacy" : "")
        + ", attributes="
        + attributes.keySet()
        + "}";
  }
}
