package dev.gtguard.internal;

import dev.gtguard.Changes;
import dev.gtguard.VersionedItem;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Access to what {@link VersionedItem} keeps from callers: which region acknowledged a state, and
 * what the write that produced it changed. Only a write may say that, so the constructor that sets
 * it is not public; {@code VersionedItem} installs this bridge when its class is initialised.
 */
public abstract class VersionedItems {
  private static volatile VersionedItems bridge;

  protected VersionedItems() {}

  /**
   * Installed once, by {@link VersionedItem}'s static initialiser.
   *
   * @throws IllegalStateException if a bridge is installed already
   */
  public static synchronized void install(VersionedItems bridge) {
    if (VersionedItems.bridge != null) {
      throw new IllegalStateException("already installed");
    }
    VersionedItems.bridge = bridge;
  }

  /** {@code item} as acknowledged by {@code region} for a write that made {@code changes}. */
  public static VersionedItem acknowledged(VersionedItem item, String region, Changes changes) {
    return bridge().acknowledgedIn(item, region, changes);
  }

  /**
   * A state over {@code attributes} as they are, not copied: only for maps nobody changes any more
   * (the SDK's responses, which are immutable, and maps this library built for the state).
   */
  public static VersionedItem owned(
      Map<String, AttributeValue> attributes, long version, String writeToken, boolean legacy) {
    return bridge().ownedState(attributes, version, writeToken, legacy);
  }

  /** What the write that produced {@code item} changed, if it came from a write. */
  public static Optional<Changes> writtenChanges(VersionedItem item) {
    return bridge().changesOf(item);
  }

  /** DynamoDB's size of {@code item}'s attributes, computed once per state. */
  public static long size(VersionedItem item) {
    return bridge().sizeOf(item);
  }

  protected abstract long sizeOf(VersionedItem item);

  protected abstract VersionedItem acknowledgedIn(
      VersionedItem item, String region, Changes changes);

  protected abstract Optional<Changes> changesOf(VersionedItem item);

  protected abstract VersionedItem ownedState(
      Map<String, AttributeValue> attributes, long version, String writeToken, boolean legacy);

  /** The bridge, once {@link VersionedItem}'s class is initialised (which installs it). */
  private static VersionedItems bridge() {
    VersionedItems installed = bridge;
    if (installed == null) {
      try {
        Class.forName(VersionedItem.class.getName(), true, VersionedItem.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      installed = bridge;
    }
    return installed;
  }
}
