package dev.gtguard.detect;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The shards of one stream the poller reads, in an order that keeps an item's changes in order: a
 * shard is started only once its parent (if still in the stream) was read to its end. Not
 * thread-safe: the poller's pass owns it.
 */
final class StreamShards {
  private final DynamoDbStreamsClient streams;
  private final String tableName;
  private final String region;
  private final Function<String, ShardCursor> newCursor;
  private final Map<String, ShardCursor> active = new LinkedHashMap<>();
  private final Set<String> finished = new HashSet<>();

  StreamShards(
      DynamoDbStreamsClient streams,
      String tableName,
      String region,
      Function<String, ShardCursor> newCursor) {
    this.streams = streams;
    this.tableName = tableName;
    this.region = region;
    this.newCursor = newCursor;
  }

  /**
   * Describes the stream and starts reading shards not seen before, unless their parent still has
   * records to give.
   *
   * @throws IllegalStateException if the stream does not show new and old images
   */
  void discover(String arn) {
    List<Shard> shards = new ArrayList<>();
    String last = null;
    do {
      String start = last;
      StreamDescription description =
          streams
              .describeStream(r -> r.streamArn(arn).exclusiveStartShardId(start))
              .streamDescription();
      if (description.streamViewType() != StreamViewType.NEW_AND_OLD_IMAGES) {
        throw new IllegalStateException(
            "the stream of "
                + tableName
                + " in "
                + region
                + " shows "
                + description.streamViewTypeAsString()
                + "; lost writes are seen only with NEW_AND_OLD_IMAGES");
      }
      shards.addAll(description.shards());
      last = description.lastEvaluatedShardId();
    } while (last != null);

    Set<String> present = shards.stream().map(Shard::shardId).collect(Collectors.toSet());
    finished.retainAll(present); // shards trimmed from the stream need no memory
    for (Shard shard : shards) {
      String id = shard.shardId();
      if (active.containsKey(id) || finished.contains(id)) {
        continue;
      }
      String parent = shard.parentShardId();
      if (parent != null && present.contains(parent) && !finished.contains(parent)) {
        continue; // the parent holds the key's older changes: read it to its end first
      }
      active.put(id, newCursor.apply(id));
    }
  }

  /** The shards being read, in the order they were started. */
  List<ShardCursor> active() {
    return List.copyOf(active.values());
  }

  /** A shard read to its end (or gone): its children may start. */
  void finish(String shardId) {
    active.remove(shardId);
    finished.add(shardId);
  }
}
