package dev.gtguard.exception;

import dev.gtguard.Changes;
import dev.gtguard.ExpectedVersion;
import dev.gtguard.ItemKey;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;

/**
 * A single-shot write ({@link VersionedTable#update(ItemKey, ExpectedVersion, Changes)} or {@link
 * VersionedTable#delete(ItemKey, ExpectedVersion)}) found another version or write token than the
 * caller expected, so it wrote nothing. The current item is attached so the caller can decide
 * again.
 *
 * <pre>{@code
 * try {
 *   table.delete(key, held.expected());
 * } catch (VersionConflictException e) {
 *   log.info("{} moved on to version {}", e.key(), e.actualVersion());
 * }
 * }</pre>
 */
public class VersionConflictException extends GlobalTablesException {
  private static final long serialVersionUID = 1L;

  private final long expectedVersion;
  private final long actualVersion;
  private final transient VersionedItem current;

  public VersionConflictException(
      String tableName,
      ItemKey key,
      String region,
      ExpectedVersion expected,
      VersionedItem current,
      Throwable cause) {
    super(
        "item "
            + key
            + " in table "
            + tableName
            + " (region "
            + region
            + ") is at version "
            + current.version()
            + " token "
            + current.writeToken().orElse("-")
            + ", expected version "
            + expected.version()
            + " token "
            + expected.writeToken().orElse("-"),
        tableName,
        key,
        region,
        cause);
    this.expectedVersion = expected.version();
    this.actualVersion = current.version();
    this.current = current;
  }

  /** The version the caller expected. */
  public long expectedVersion() {
    return expectedVersion;
  }

  /** The version found in the region that was written to. */
  public long actualVersion() {
    return actualVersion;
  }

  /** The item as it was when the write was refused. */
  public VersionedItem current() {
    return current;
  }
}
