package dev.gtguard.detect;

import dev.gtguard.internal.Arguments;
import dev.gtguard.internal.SequenceNumbers;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link CheckpointStore} in memory: for tests, and the poller's default. It lives as long as the
 * object, so a poller with its own in-memory store starts every shard at its oldest record after a
 * restart, and reports again the losses still in the stream (up to 24 hours of them). Share one
 * instance between pollers to simulate a restart in a test. Thread-safe.
 *
 * <pre>{@code
 * CheckpointStore checkpoints = new InMemoryCheckpointStore();
 * try (StreamLostWritePoller first = builder.checkpointStore(checkpoints).build()) {
 *   first.pollOnce();
 * }
 * builder.checkpointStore(checkpoints).build().pollOnce(); // resumes after the first one
 * }</pre>
 */
public final class InMemoryCheckpointStore implements CheckpointStore {
  private record ShardOf(String streamArn, String shardId) {}

  private final Map<ShardOf, String> checkpoints = new ConcurrentHashMap<>();

  @Override
  public Optional<String> load(String streamArn, String shardId) {
    return Optional.ofNullable(checkpoints.get(shard(streamArn, shardId)));
  }

  @Override
  public void save(String streamArn, String shardId, String sequenceNumber) {
    SequenceNumbers.requireValid(sequenceNumber);
    checkpoints.merge(
        shard(streamArn, shardId),
        sequenceNumber,
        (stored, saved) -> SequenceNumbers.compare(saved, stored) > 0 ? saved : stored);
  }

  private static ShardOf shard(String streamArn, String shardId) {
    return new ShardOf(
        Arguments.nonBlank(streamArn, "streamArn"), Arguments.nonBlank(shardId, "shardId"));
  }

  @Override
  public String toString() {
    return "InMemoryCheckpointStore{" + checkpoints.size() + " shards}";
  }
}
