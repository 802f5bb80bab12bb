package dev.gtguard.internal;

import dev.gtguard.Changes;
import dev.gtguard.VersionedItem;
import java.util.Optional;

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

  /** Set whenever it is needed: every call passes a VersionedItem, so its class is initialised. */
  private static VersionedItems bridge() {
    return bridge;
  }
}
