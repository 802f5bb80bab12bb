package dev.gtguard.internal;

import dev.gtguard.ItemKey;

/**
 * Tells the Resilience4j retry context why an attempt is retried (lost to another writer, found the
 * item's home moved, or its response lost and not applied). Carries the key and region so the retry
 * events can name them. Handed to the context, never thrown; no stack trace.
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
