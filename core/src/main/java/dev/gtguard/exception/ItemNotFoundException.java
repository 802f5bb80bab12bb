package dev.gtguard.exception;

import dev.gtguard.ItemKey;

/**
 * The item to update or delete does not exist in the region that was asked.
 *
 * <pre>{@code
 * try {
 *   table.update(key, item -> changes);
 * } catch (ItemNotFoundException e) {
 *   table.create(newItem);
 * }
 * }</pre>
 */
public class ItemNotFoundException extends GlobalTablesException {
  private static final long serialVersionUID = 1L;

  public ItemNotFoundException(String tableName, ItemKey key, String region, Throwable cause) {
    super(
        "item " + key + " not found in table " + tableName + " (region " + region + ")",
        tableName,
        key,
        region,
        cause);
  }
}
