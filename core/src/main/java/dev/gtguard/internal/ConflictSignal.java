package dev.gtguard.internal;

import dev.gtguard.ItemKey;

/**
 * Tells the Resilience4j retry that an attempt lost to another writer. Carries the key so the retry
 * events can name it; no stack trace, it is thrown on the normal path of contention.
 */
public final class ConflictSignal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ItemKey key;

  public ConflictSignal(ItemKey key, Throwable cause) {
    super("conflict on " + key, cause, false, false);
    this.key = key;
  }

  public ItemKey key() {
    return key;
  }
}
