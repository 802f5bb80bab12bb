package dev.gtguard.detect;

import dev.gtguard.internal.Arguments;
import dev.gtguard.internal.SequenceNumbers;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * A {@link CheckpointStore} in a DynamoDB table, so that a restarted {@link StreamLostWritePoller}
 * (another process, another host) resumes where the last one stopped delivering.
 *
 * <pre>{@code
 * // aws dynamodb create-table --table-name gtguard_checkpoints --billing-mode PAY_PER_REQUEST \
 * //   --attribute-definitions AttributeName=pk,AttributeType=S \
 * //   --key-schema AttributeName=pk,KeyType=HASH
 * CheckpointStore checkpoints = DynamoDbCheckpointStore.builder()
 *     .client(euWest1)                      // any region; the poller's own is the natural choice
 *     .tableName("gtguard_checkpoints")
 *     .consumer("lost-write-alarms")        // several readers of one stream can share the table
 *     .build();
 * }</pre>
 *
 * <p><b>The table.</b> A string partition key (default name {@code pk}) and nothing else; no sort
 * key, no index, no stream. One item per consumer and shard:
 *
 * <ul>
 *   <li>{@code pk}: {@code <consumer>#<stream ARN>#<shard id>};
 *   <li>{@code sequence_number} (S): the last delivered record's sequence number;
 *   <li>{@code sequence_order} (S): the same, zero-padded to 40 digits, which the conditional write
 *       compares (sequence numbers are up to 40 digits, too long for a DynamoDB number);
 *   <li>{@code consumer}, {@code stream_arn}, {@code shard_id} (S): the parts of the key, for
 *       people reading the table;
 *   <li>{@code expires_at} (N): epoch seconds, 7 days after the save. Optionally make it the
 *       table's TTL attribute: shards close every few hours and their items are never needed again.
 *       That is safe because a stream keeps records for 24 hours, so every record still in it is
 *       younger than a checkpoint that old, and reading such a shard from its oldest record repeats
 *       nothing.
 * </ul>
 *
 * <p>Every save is a conditional {@code PutItem} ({@code attribute_not_exists(pk) OR sequence_order
 * < :new}), so a checkpoint never moves backwards, even with a slow, stale writer; a refused save
 * is not an error. Loads are strongly consistent {@code GetItem}s. IAM: {@code dynamodb:GetItem}
 * and {@code dynamodb:PutItem} on the table. This store does not lease shards: run one poller per
 * stream and consumer. Thread-safe; it does not close the client.
 */
public final class DynamoDbCheckpointStore implements CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(DynamoDbCheckpointStore.class);

  static final String SEQUENCE_NUMBER = "sequence_number";
  static final String SEQUENCE_ORDER = "sequence_order";
  static final String EXPIRES_AT = "expires_at";

  /** How long a checkpoint item is kept after its last save, if the table's TTL is on. */
  static final Duration KEEP = Duration.ofDays(7);

  private final DynamoDbClient client;
  private final String tableName;
  private final String partitionKey;
  private final String consumer;
  private final Clock clock;

  private DynamoDbCheckpointStore(Builder b) {
    this.client = b.client;
    this.tableName = b.tableName;
    this.partitionKey = b.partitionKey;
    this.consumer = b.consumer;
    this.clock = b.clock;
  }

  /** A builder; {@code client} and {@code tableName} are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<String> load(String streamArn, String shardId) {
    Map<String, AttributeValue> item =
        client
            .getItem(
                r ->
                    r.tableName(tableName)
                        .key(Map.of(partitionKey, AttributeValue.fromS(key(streamArn, shardId))))
                        .consistentRead(true))
            .item();
    AttributeValue sequence = item == null ? null : item.get(SEQUENCE_NUMBER);
    return Optional.ofNullable(sequence == null ? null : sequence.s());
  }

  @Override
  public void save(String streamArn, String shardId, String sequenceNumber) {
    String order = SequenceNumbers.sortable(sequenceNumber);
    String key = key(streamArn, shardId);
    long expiresAt = clock.instant().plus(KEEP).getEpochSecond();
    try {
      client.putItem(
          r ->
              r.tableName(tableName)
                  .item(
                      Map.of(
                          partitionKey,
                          AttributeValue.fromS(key),
                          SEQUENCE_NUMBER,
                          AttributeValue.fromS(sequenceNumber),
                          SEQUENCE_ORDER,
                          AttributeValue.fromS(order),
                          "consumer",
                          AttributeValue.fromS(consumer),
                          "stream_arn",
                          AttributeValue.fromS(streamArn),
                          "shard_id",
                          AttributeValue.fromS(shardId),
                          EXPIRES_AT,
                          AttributeValue.fromN(Long.toString(expiresAt))))
                  .conditionExpression("attribute_not_exists(#pk) OR #order < :order")
                  .expressionAttributeNames(Map.of("#pk", partitionKey, "#order", SEQUENCE_ORDER))
                  .expressionAttributeValues(Map.of(":order", AttributeValue.fromS(order))));
    } catch (ConditionalCheckFailedException e) {
      // The stored checkpoint is at or after this one: a replayed save, or a slower writer.
      LOG.debug(
          "checkpoint of shard {} of {} not moved back to {}", shardId, streamArn, sequenceNumber);
    }
  }

  private String key(String streamArn, String shardId) {
    return consumer
        + "#"
        + Arguments.nonBlank(streamArn, "streamArn")
        + "#"
        + Arguments.nonBlank(shardId, "shardId");
  }

  @Override
  public String toString() {
    return "DynamoDbCheckpointStore{" + tableName + "(" + partitionKey + "), " + consumer + "}";
  }

  /** Builds a {@link DynamoDbCheckpointStore}; each setter validates its argument at once. */
  public static final class Builder {
    private DynamoDbClient client;
    private String tableName;
    private String partitionKey = "pk";
    private String consumer = "gtguard";
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The client of the checkpoint table's region. Required. */
    public Builder client(DynamoDbClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The checkpoint table. Required. */
    public Builder tableName(String tableName) {
      this.tableName = Arguments.nonBlank(tableName, "tableName");
      return this;
    }

    /** Its string partition key. Default {@code pk}. */
    public Builder partitionKey(String partitionKey) {
      this.partitionKey = Arguments.nonBlank(partitionKey, "partitionKey");
      return this;
    }

    /**
     * The name of the reader, so that several readers of one stream keep separate checkpoints in
     * one table. Default {@code gtguard}.
     *
     * @throws IllegalArgumentException if blank or if it contains {@code #}, the key's separator
     */
    public Builder consumer(String consumer) {
      Arguments.nonBlank(consumer, "consumer");
      if (consumer.contains("#")) {
        throw new IllegalArgumentException("consumer must not contain '#', was " + consumer);
      }
      this.consumer = consumer;
      return this;
    }

    /** The clock of {@code expires_at}; for tests. */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @throws IllegalStateException if the client or the table name is missing
     */
    public DynamoDbCheckpointStore build() {
      if (client == null || tableName == null) {
        throw new IllegalStateException("client and tableName are required");
      }
      return new DynamoDbCheckpointStore(this);
    }
  }
}
