package dev.gtguard;

/**
 * How the read-modify-retry updates ({@code update(key, fn)}, {@code update(held, fn)}) that the
 * callers of one table instance make to one item at the same time are run. Updates from other
 * processes and regions are not affected: they are settled by the conditional write and retried as
 * always.
 *
 * <pre>{@code
 * VersionedTable counters = VersionedTable.builder()
 *     .client(dynamo)
 *     .tableName("page_views")
 *     .partitionKey("pk")
 *     .sameItemUpdates(SameItemUpdates.COMBINED)
 *     .build();
 * }</pre>
 */
public enum SameItemUpdates {
  /**
   * Each update runs on its own, as updates from different processes do: concurrent updates of one
   * item conflict, and each conflict costs a pause and a retry.
   */
  CONCURRENT,

  /**
   * The default. Updates of one item wait for the one in flight and run one after another, in the
   * order they were made: the callers of one process never conflict with each other. Each update is
   * still a write of its own, with its own version and write token, its own events, and (with the
   * blocking table) its function applied on the caller's thread. An update function must not update
   * items through its own table: that throws {@link IllegalStateException}.
   */
  QUEUED,

  /**
   * Queued, and the updates waiting when the next write of the item starts share it: their
   * functions are applied one after another, each to the item as the ones before it left it, and
   * the merged changes are sent in one conditional {@code UpdateItem}, so that a hot item takes
   * many updates per round trip. Each caller is still answered on its own: the stored item (which
   * includes the changes of the callers combined with it, at one version and write token), its own
   * exception if its function throws, and one {@code WriteSucceeded} event each. A function may run
   * on another caller's thread. An update whose changes carry a condition of their own is written
   * alone. Lost-write detection and the ledger see one write.
   */
  COMBINED
}
