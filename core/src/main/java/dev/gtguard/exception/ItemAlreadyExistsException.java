package dev.gtguard.exception;

import dev.gtguard.ItemKey;
import dev.gtguard.VersionedItem;

/**
 * {@code create} found an item with the same key already in the region it wrote to.
 *
 * <pre>{@code
 * try {
 *   table.create(item);
 * } catch (ItemAlreadyExistsException e) {
 *   VersionedItem existing = e.existing();
 * }
 * }</pre>
 */
public class ItemAlreadyExistsException extends GlobalTablesException {
  private static final long serialVersionUID = 1L;

  private final transient VersionedItem existing;

  public ItemAlreadyExistsException(
      String tableName, ItemKey key, String region, VersionedItem existing, Throwable cause) {
    super(
        "item "
            + key
            + " already exists in table "
            + tableName
            + " (region "
            + region
            + (existing == null ? "" : ", version " + existing.version())
            + ")",
        tableName,
        key,
        region,
        cause);
    this.existing = existing;
  }

  /** The item that was already there, or {@code null} if DynamoDB did not return it. */
  public VersionedItem existing() {
    return existing;
  }
}
