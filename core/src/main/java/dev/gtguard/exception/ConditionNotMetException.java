package dev.gtguard.exception;

import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.VersionedItem;

/**
 * The caller's own condition (given with {@link Changes.Builder#condition}) was false although the
 * version and write token matched, so nothing was written and the update is not retried.
 *
 * <pre>{@code
 * try {
 *   table.update(key, item -> Changes.builder()
 *       .set("plan", AttributeValue.fromS("pro"))
 *       .condition("#s = :active", Map.of("#s", "status"), Map.of(":active", AttributeValue.fromS("ACTIVE")))
 *       .build());
 * } catch (ConditionNotMetException e) {
 *   VersionedItem current = e.current();
 * }
 * }</pre>
 */
public class ConditionNotMetException extends GlobalTablesException {
  private static final long serialVersionUID = 1L;

  private final transient VersionedItem current;

  public ConditionNotMetException(
      String tableName, ItemKey key, String region, VersionedItem current, Throwable cause) {
    super(
        "condition on item "
            + key
            + " in table "
            + tableName
            + " (region "
            + region
            + ", version "
            + current.version()
            + ") is not met",
        tableName,
        key,
        region,
        cause);
    this.current = current;
  }

  /** The item the condition was evaluated against. */
  public VersionedItem current() {
    return current;
  }
}
