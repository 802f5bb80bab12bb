package dev.gtguard.internal;

import dev.gtguard.ItemKey;

/**
 * Tells the Resilience4j retry that an attempt lost to another writer (or found the item's home
 * moved). Carries the key and region so the retry events can name them; no stack trace, it is
 * thrown on the normal path of contention.
 */
public final class ConflictSignal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ItemKey key;
  private final String region;

  public ConflictSignal(ItemKey key, String region, Throwable cause) {
    super("conflict on " + key + " in " + region, cause, false, false);
    this.key = key;
    this.region = region;
  }

  public ItemKey key() {
    return key;
  }

  public String region() {
    return region;
  }
}
