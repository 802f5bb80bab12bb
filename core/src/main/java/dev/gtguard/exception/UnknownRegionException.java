package dev.gtguard.exception;

import dev.gtguard.ItemKey;

/**
 * An item's home region is not one of the configured regions (or the item names none), so the write
 * was not sent anywhere.
 *
 * <pre>{@code
 * try {
 *   table.update(key, fn);
 * } catch (UnknownRegionException e) {
 *   log.error("{} names home region {}, not configured", e.key(), e.requestedRegion());
 * }
 * }</pre>
 */
public class UnknownRegionException extends GlobalTablesException {
  private static final long serialVersionUID = 1L;

  private final String requestedRegion;

  public UnknownRegionException(
      String tableName, ItemKey key, String requestedRegion, java.util.Set<String> configured) {
    super(
        requestedRegion == null
            ? "item " + key + " in table " + tableName + " names no home region"
            : "home region "
                + requestedRegion
                + " of item "
                + key
                + " in table "
                + tableName
                + " is not configured; regions are "
                + configured,
        tableName,
        key,
        null,
        null);
    this.requestedRegion = requestedRegion;
  }

  /** The region the item or strategy named, or {@code null} if none. */
  public String requestedRegion() {
    return requestedRegion;
  }
}
