package dev.gtguard.detect;

import static dev.gtguard.detect.StreamRecords.n;
import static dev.gtguard.detect.StreamRecords.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.LostWrite;
import dev.gtguard.TableDescription;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Restarts on the local Global Table: real streams, real LWW replication, and the checkpoint table
 * on the eu-west-1 DynamoDB Local. Every restart is a new poller with a new detector, as a new
 * process would have; only the checkpoint store carries over.
 */
@LocalGlobalTableTest(
    regions = {"eu-west-1", "us-east-1"},
    lagMillis = 300)
class StreamLostWritePollerRestartTest {
  private static final String EU = "eu-west-1";
  private static final String US = "us-east-1";
  private static final Duration QUIET = Duration.ofSeconds(10);

  private final List<LostWrite> alarms = new CopyOnWriteArrayList<>();

  /** One run of a new process: a poller over the eu-west-1 stream, one pass, then closed. */
  private List<LostWrite> runOnce(LocalGlobalTable global, String table, CheckpointStore store) {
    StreamLostWritePoller.Builder builder =
        StreamLostWritePoller.builder()
            .detector(
                StreamDetector.builder().table(TableDescription.of(table, "pk")).region(EU).build())
            .dynamoDbClient(global.client(EU))
            .streamsClient(global.streamsClient(EU))
            .onLostWrite(alarms::add);
    if (store != null) {
      builder.checkpointStore(store);
    }
    try (StreamLostWritePoller poller = builder.build()) {
      return poller.pollOnce();
    }
  }

  private static CheckpointStore checkpointTable(LocalGlobalTable global) {
    // Only on the eu-west-1 server: not a replicated table.
    String table = global.server(EU).createTable("checkpoints", "pk");
    return DynamoDbCheckpointStore.builder()
        .client(global.server(EU).client())
        .tableName(table)
        .build();
  }

  /** Seeds {@code pk} at version 17, then both regions write version 18; the EU write loses. */
  private static void londonLoss(LocalGlobalTable global, String table, String pk)
      throws InterruptedException {
    global
        .client(EU)
        .putItem(
            r ->
                r.tableName(table)
                    .item(Map.of("pk", s(pk), "version", n(17), "write_token", s(pk + "-17"))));
    global.awaitQuiescence(QUIET);
    writeVersion18(global, EU, table, pk);
    Thread.sleep(49);
    writeVersion18(global, US, table, pk);
    global.awaitQuiescence(QUIET);
  }

  private static void writeVersion18(
      LocalGlobalTable global, String region, String table, String pk) {
    global
        .client(region)
        .updateItem(
            r ->
                r.tableName(table)
                    .key(Map.of("pk", s(pk)))
                    .conditionExpression("version = :expected")
                    .updateExpression("SET version = :next, write_token = :token, city = :city")
                    .expressionAttributeValues(
                        Map.of(
                            ":expected", n(17),
                            ":next", n(18),
                            ":token", s(pk + "-" + region),
                            ":city", s(region))));
  }

  @Test
  void pollOnce_threeRestartsWithACheckpointTable_eachLossAlarmsExactlyOnce(LocalGlobalTable global)
      throws Exception {
    String table = global.createTable("restarts", "pk");
    CheckpointStore store = checkpointTable(global);
    londonLoss(global, table, "subscriber#1");

    List<LostWrite> first = runOnce(global, table, store);
    List<LostWrite> second = runOnce(global, table, store);
    londonLoss(global, table, "subscriber#2"); // while no poller runs
    List<LostWrite> third = runOnce(global, table, store);

    assertThat(first).extracting(LostWrite::writeToken).containsExactly("subscriber#1-eu-west-1");
    assertThat(second).isEmpty();
    assertThat(third).extracting(LostWrite::writeToken).containsExactly("subscriber#2-eu-west-1");
    assertThat(alarms)
        .extracting(LostWrite::writeToken)
        .containsExactly("subscriber#1-eu-west-1", "subscriber#2-eu-west-1");
  }

  @Test
  void pollOnce_restartsWithTheDefaultStore_repeatTheLossEachTime(LocalGlobalTable global)
      throws Exception {
    String table = global.createTable("no-checkpoints", "pk");
    londonLoss(global, table, "subscriber#1");

    for (int restart = 0; restart < 3; restart++) {
      runOnce(global, table, null);
    }

    // As documented: without a durable store a restart reads from the oldest record again.
    assertThat(alarms)
        .extracting(LostWrite::writeToken)
        .containsExactly(
            "subscriber#1-eu-west-1", "subscriber#1-eu-west-1", "subscriber#1-eu-west-1");
  }
}
