package dev.gtguard.detect;

import java.util.Optional;

/**
 * Where a {@link StreamLostWritePoller} remembers, per shard of a stream, the last record whose
 * lost writes were all delivered, so that a restarted poller resumes right after it: no alarm
 * twice, and none missed.
 *
 * <pre>{@code
 * CheckpointStore checkpoints = DynamoDbCheckpointStore.builder()
 *     .client(euWest1)
 *     .tableName("gtguard_checkpoints")
 *     .build();
 * StreamLostWritePoller.builder()...checkpointStore(checkpoints).build();
 * }</pre>
 *
 * <p>The poller saves a checkpoint only after every record up to it was delivered, and reads a
 * shard with a checkpoint from {@code AFTER_SEQUENCE_NUMBER}; a shard without one from its oldest
 * record. Implementations must be thread-safe, and a checkpoint must never move backwards: saving a
 * sequence number at or before the stored one leaves the stored one. Sequence numbers are compared
 * as numbers ({@code 99 < 100}).
 *
 * @see InMemoryCheckpointStore
 * @see DynamoDbCheckpointStore
 */
public interface CheckpointStore {

  /**
   * The sequence number of the last record delivered from this shard, or empty if none was.
   *
   * @throws RuntimeException if the store cannot be read; the poller then leaves the shard alone
   *     and tries again after a backoff (never from the oldest record, which would alarm twice)
   */
  Optional<String> load(String streamArn, String shardId);

  /**
   * Records that every record of this shard up to and including {@code sequenceNumber} was
   * delivered. A sequence number at or before the stored one is ignored.
   *
   * @throws IllegalArgumentException if {@code sequenceNumber} is not a stream sequence number
   * @throws RuntimeException if the store cannot be written; the poller tries again before it reads
   *     on
   */
  void save(String streamArn, String shardId, String sequenceNumber);
}
