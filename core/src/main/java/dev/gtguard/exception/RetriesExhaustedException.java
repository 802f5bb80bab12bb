package dev.gtguard.exception;

import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.ItemKey;

/**
 * A read-modify-retry update lost every attempt the {@link ConflictRetryPolicy} allowed, so the
 * last change was not written. Usually a sign of a hot item: route it to one home region, or spread
 * the writes.
 *
 * <pre>{@code
 * try {
 *   table.update(key, item -> increment(item));
 * } catch (RetriesExhaustedException e) {
 *   metrics.counter("hot_item").increment();
 *   log.warn("{}: {} attempts, last saw version {}", e.key(), e.attempts(), e.lastSeenVersion());
 * }
 * }</pre>
 */
public class RetriesExhaustedException extends GlobalTablesException {
  private static final long serialVersionUID = 1L;

  private final int attempts;
  private final long lastSeenVersion;

  public RetriesExhaustedException(
      String tableName,
      ItemKey key,
      String region,
      int attempts,
      long lastSeenVersion,
      Throwable cause) {
    super(
        "update of item "
            + key
            + " in table "
            + tableName
            + " (region "
            + region
            + ") lost all "
            + attempts
            + " attempts to concurrent writers; last seen version "
            + lastSeenVersion,
        tableName,
        key,
        region,
        cause);
    this.attempts = attempts;
    this.lastSeenVersion = lastSeenVersion;
  }

  /** How many conditional writes were sent. */
  public int attempts() {
    return attempts;
  }

  /** The version of the item the last attempt was refused by. */
  public long lastSeenVersion() {
    return lastSeenVersion;
  }
}
