package dev.gtguard.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The DynamoDB checkpoint table on DynamoDB Local: round trip, and never backwards. */
@DynamoDbLocalTest
class DynamoDbCheckpointStoreTest {
  private static final String ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/1";
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

  private static DynamoDbCheckpointStore.Builder store(LocalDynamoDb ddb, String table) {
    return DynamoDbCheckpointStore.builder()
        .client(ddb.client())
        .tableName(table)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void load_nothingSaved_isEmpty(LocalDynamoDb ddb) {
    CheckpointStore store = store(ddb, ddb.createTable("checkpoints", "pk")).build();

    assertThat(store.load(ARN, "shard-1")).isEmpty();
  }

  @Test
  void save_thenLoad_returnsTheSequenceNumber(LocalDynamoDb ddb) {
    CheckpointStore store = store(ddb, ddb.createTable("checkpoints", "pk")).build();

    store.save(ARN, "shard-1", "000000000000000000100");
    store.save(ARN, "shard-1", "000000000000000000250");

    assertThat(store.load(ARN, "shard-1")).contains("000000000000000000250");
    assertThat(store.load(ARN, "shard-2")).isEmpty();
  }

  @Test
  void save_earlierOrEqualSequenceNumber_neverMovesBackwards(LocalDynamoDb ddb) {
    CheckpointStore store = store(ddb, ddb.createTable("checkpoints", "pk")).build();
    store.save(ARN, "shard-1", "250");

    store.save(ARN, "shard-1", "100"); // a stale writer
    store.save(ARN, "shard-1", "250"); // a replayed save

    assertThat(store.load(ARN, "shard-1")).contains("250");
  }

  @Test
  void save_longerNumberThatSortsLowerAsAString_movesForward(LocalDynamoDb ddb) {
    CheckpointStore store = store(ddb, ddb.createTable("checkpoints", "pk")).build();
    store.save(ARN, "shard-1", "99");

    store.save(ARN, "shard-1", "100"); // "100" < "99" as strings, 100 > 99 as numbers
    store.save(ARN, "shard-1", "98");

    assertThat(store.load(ARN, "shard-1")).contains("100");
  }

  @Test
  void save_fortyDigits_roundTrips(LocalDynamoDb ddb) {
    CheckpointStore store = store(ddb, ddb.createTable("checkpoints", "pk")).build();
    String longest = "9".repeat(40);

    store.save(ARN, "shard-1", "1" + "0".repeat(39));
    store.save(ARN, "shard-1", longest);

    assertThat(store.load(ARN, "shard-1")).contains(longest);
  }

  @Test
  void save_twoConsumersOneTable_keepSeparateCheckpoints(LocalDynamoDb ddb) {
    String table = ddb.createTable("checkpoints", "pk");
    CheckpointStore alarms = store(ddb, table).consumer("alarms").build();
    CheckpointStore audit = store(ddb, table).consumer("audit").build();

    alarms.save(ARN, "shard-1", "300");
    audit.save(ARN, "shard-1", "100");

    assertThat(alarms.load(ARN, "shard-1")).contains("300");
    assertThat(audit.load(ARN, "shard-1")).contains("100");
  }

  @Test
  void save_writesTheDocumentedItem(LocalDynamoDb ddb) {
    String table = ddb.createTable("checkpoints", "ckpt");
    store(ddb, table).partitionKey("ckpt").consumer("alarms").build().save(ARN, "shard-1", "4711");

    Map<String, AttributeValue> item =
        ddb.client()
            .getItem(
                r ->
                    r.tableName(table)
                        .key(Map.of("ckpt", AttributeValue.fromS("alarms#" + ARN + "#shard-1"))))
            .item();

    assertThat(item)
        .containsEntry("sequence_number", AttributeValue.fromS("4711"))
        .containsEntry("sequence_order", AttributeValue.fromS("0".repeat(36) + "4711"))
        .containsEntry("consumer", AttributeValue.fromS("alarms"))
        .containsEntry("stream_arn", AttributeValue.fromS(ARN))
        .containsEntry("shard_id", AttributeValue.fromS("shard-1"))
        .containsEntry(
            "expires_at",
            AttributeValue.fromN(
                Long.toString(NOW.plus(DynamoDbCheckpointStore.KEEP).getEpochSecond())));
  }

  @Test
  void save_notASequenceNumber_refusedAndNothingStored(LocalDynamoDb ddb) {
    CheckpointStore store = store(ddb, ddb.createTable("checkpoints", "pk")).build();

    assertThatThrownBy(() -> store.save(ARN, "shard-1", "12a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.save(ARN, "shard-1", "1".repeat(41)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.load(ARN, "shard-1")).isEmpty();
  }

  @Test
  void builder_missingOrInvalidSettings_refused(LocalDynamoDb ddb) {
    assertThatThrownBy(() -> DynamoDbCheckpointStore.builder().tableName("t").build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> DynamoDbCheckpointStore.builder().client(ddb.client()).build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> DynamoDbCheckpointStore.builder().consumer("a#b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DynamoDbCheckpointStore.builder().tableName(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
