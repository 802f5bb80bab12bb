package dev.gtguard.exception;

import dev.gtguard.FailoverPolicy;
import dev.gtguard.ItemKey;

/**
 * The item's home region could not be reached (after the SDK's own retries) and the table's {@link
 * FailoverPolicy} is {@code FAIL}: nothing was written.
 *
 * <pre>{@code
 * try {
 *   table.update(key, fn);
 * } catch (HomeRegionUnavailableException e) {
 *   alert("home region " + e.region().orElseThrow() + " unreachable");
 * }
 * }</pre>
 */
public class HomeRegionUnavailableException extends GlobalTablesException {
  private static final long serialVersionUID = 1L;

  public HomeRegionUnavailableException(
      String tableName, ItemKey key, String homeRegion, Throwable cause) {
    super(
        "home region "
            + homeRegion
            + " of item "
            + key
            + " in table "
            + tableName
            + " is unreachable; nothing was written (failover policy FAIL)",
        tableName,
        key,
        homeRegion,
        cause);
  }
}
