package dev.gtguard.detect;

/**
 * Where the poller stands in one shard: the iterator to read on with, the last record delivered,
 * and the last checkpoint saved. Not thread-safe: the poller's pass owns it.
 */
final class ShardCursor {
  final String shardId;
  final ShardBackoff backoff;

  /** The iterator to read the next page with; null when one must be taken. */
  String iterator;

  /** The sequence number of the last record delivered (or checkpointed); null for none yet. */
  String delivered;

  /** The sequence number last saved to the checkpoint store. */
  String saved;

  /** Whether the checkpoint was loaded from the store yet. */
  boolean loaded;

  ShardCursor(String shardId, ShardBackoff backoff) {
    this.shardId = shardId;
    this.backoff = backoff;
  }

  /** Whether records were delivered that the checkpoint store does not know yet. */
  boolean unsaved() {
    return delivered != null && !delivered.equals(saved);
  }
}
