package dev.gtguard.detect;

import static dev.gtguard.detect.StreamRecords.n;
import static dev.gtguard.detect.StreamRecords.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.TableDescription;
import dev.gtguard.VersionedTable;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** The poller on the local Global Table: real streams, real LWW replication, two regions. */
@LocalGlobalTableTest(
    regions = {"eu-west-1", "us-east-1"},
    lagMillis = 300)
class StreamLostWritePollerTest {
  private static final String EU = "eu-west-1";
  private static final String US = "us-east-1";
  private static final Duration QUIET = Duration.ofSeconds(10);
  private static final Map<String, AttributeValue> KEY = Map.of("pk", s("subscriber#4711"));

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private DynamoDbStreamsClient streamsClient(LocalGlobalTable global, String region) {
    DynamoDbStreamsClient client =
        DynamoDbStreamsClient.builder()
            .endpointOverride(global.server(region).endpoint())
            .region(Region.of(region))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build();
    toClose.add(client);
    return client;
  }

  private StreamLostWritePoller.Builder pollerBuilder(
      LocalGlobalTable global, String table, String region) {
    return StreamLostWritePoller.builder()
        .detector(
            StreamDetector.builder().table(TableDescription.of(table, "pk")).region(region).build())
        .dynamoDbClient(global.client(region))
        .streamsClient(streamsClient(global, region));
  }

  /** Pollers over both regions' streams, each reporting into {@code sink}. */
  private List<StreamLostWritePoller> pollers(
      LocalGlobalTable global, String table, List<LostWrite> sink) {
    List<StreamLostWritePoller> pollers = new ArrayList<>();
    for (String region : global.regions()) {
      StreamLostWritePoller poller =
          pollerBuilder(global, table, region).listener(sink(sink)).build();
      toClose.add(poller);
      pollers.add(poller);
    }
    return pollers;
  }

  private static WriteListener sink(List<LostWrite> sink) {
    return new WriteListener() {
      @Override
      public void onLostWrite(LostWrite lost) {
        sink.add(lost);
      }
    };
  }

  /** One pass over every poller; the losses all of them returned. */
  private static List<LostWrite> pollAll(List<StreamLostWritePoller> pollers) {
    List<LostWrite> found = new ArrayList<>();
    for (StreamLostWritePoller poller : pollers) {
      found.addAll(poller.pollOnce());
    }
    return found;
  }

  private static void seedVersion17(LocalGlobalTable global, String table) {
    global
        .client(EU)
        .putItem(
            r ->
                r.tableName(table)
                    .item(
                        Map.of(
                            "pk", s("subscriber#4711"),
                            "version", n(17),
                            "write_token", s("t17"),
                            "delivery_address", s("1 Old Street"),
                            "last_contacted", s("2024-01-01"))));
    global.awaitQuiescence(QUIET);
  }

  private static void setAtVersion18(
      DynamoDbClient client, String table, String attribute, String value, String token) {
    client.updateItem(
        r ->
            r.tableName(table)
                .key(KEY)
                .conditionExpression("version = :expected")
                .updateExpression("SET #a = :v, version = :next, write_token = :token")
                .expressionAttributeNames(Map.of("#a", attribute))
                .expressionAttributeValues(
                    Map.of(
                        ":expected", n(17), ":next", n(18), ":v", s(value), ":token", s(token))));
  }

  /** The London case: both regions write version 18, 49 ms apart; the earlier write loses. */
  private static void londonWrites(LocalGlobalTable global, String table)
      throws InterruptedException {
    setAtVersion18(global.client(EU), table, "delivery_address", "221B Baker Street", "eu-18");
    Thread.sleep(49);
    setAtVersion18(global.client(US), table, "last_contacted", "2024-11-22", "us-18");
    global.awaitQuiescence(QUIET);
  }

  @Test
  void pollOnce_bothRegionsWriteVersion18_reportsTheEarlierWriteOnce(LocalGlobalTable global)
      throws Exception {
    String table = global.createTable("subscribers", "pk");
    List<LostWrite> heard = new CopyOnWriteArrayList<>();
    List<StreamLostWritePoller> pollers = pollers(global, table, heard);
    // iterators taken on empty shards (DynamoDB Local refuses them once records arrive)
    assertThat(pollAll(pollers)).isEmpty();
    seedVersion17(global, table);

    londonWrites(global, table);
    List<LostWrite> found = pollAll(pollers);

    assertThat(found).hasSize(1);
    LostWrite lost = found.get(0);
    assertThat(lost.writeToken()).isEqualTo("eu-18");
    assertThat(lost.version()).isEqualTo(18);
    assertThat(lost.survivingToken()).isEqualTo("us-18");
    assertThat(lost.survivingVersion()).isEqualTo(18);
    assertThat(lost.region()).isEqualTo(EU);
    assertThat(lost.tableName()).isEqualTo(table);
    assertThat(lost.key()).isEqualTo(ItemKey.of("pk", "subscriber#4711"));
    assertThat(lost.source()).isEqualTo(LostWrite.Source.STREAM);
    assertThat(lost.changes().set())
        .containsEntry("delivery_address", s("221B Baker Street"))
        .doesNotContainKeys("version", "write_token");
    assertThat(lost.lostItem()).containsEntry("write_token", s("eu-18"));
    assertThat(heard).containsExactly(lost);
    // the surviving state really is the us-east-1 write, everywhere
    for (String region : global.regions()) {
      assertThat(global.scan(region, table).get(KEY)).containsEntry("write_token", s("us-18"));
    }

    assertThat(pollAll(pollers)).isEmpty();
    assertThat(heard).hasSize(1);
  }

  @Test
  void pollOnce_pollersStartedAfterTheLoss_readEachStreamFromItsOldestRecord(
      LocalGlobalTable global) throws Exception {
    String table = global.createTable("late", "pk");
    seedVersion17(global, table);
    londonWrites(global, table);

    List<StreamLostWritePoller> pollers = pollers(global, table, new CopyOnWriteArrayList<>());

    assertThat(pollAll(pollers)).extracting(LostWrite::writeToken).containsExactly("eu-18");
  }

  @Test
  void pollOnce_burstOfVersionedIncrementsInOneRegion_reportsNothing(LocalGlobalTable global) {
    String table = global.createTable("counters", "pk");
    List<LostWrite> heard = new CopyOnWriteArrayList<>();
    List<StreamLostWritePoller> pollers = pollers(global, table, heard);
    VersionedTable eu =
        VersionedTable.builder()
            .client(global.client(EU))
            .tableName(table)
            .partitionKey("pk")
            .build();
    eu.create(Map.of("pk", s("subscriber#4711"), "count", n(0)));
    for (int i = 0; i < 30; i++) {
      eu.update(
          ItemKey.of("pk", "subscriber#4711"),
          item ->
              Changes.builder().set("count", Long.parseLong(item.get("count").n()) + 1).build());
    }
    // and then, once replicated, a few from the other region: replication only ever raises versions
    global.awaitQuiescence(QUIET);
    VersionedTable us =
        VersionedTable.builder()
            .client(global.client(US))
            .tableName(table)
            .partitionKey("pk")
            .build();
    for (int i = 0; i < 5; i++) {
      us.update(
          ItemKey.of("pk", "subscriber#4711"),
          item ->
              Changes.builder().set("count", Long.parseLong(item.get("count").n()) + 1).build());
    }
    global.awaitQuiescence(QUIET);

    assertThat(pollAll(pollers)).isEmpty();
    assertThat(heard).isEmpty();
    assertThat(global.scan(EU, table).get(KEY)).containsEntry("version", n(36));
  }

  @Test
  void pollOnce_identicalValueWrites_reportsNothing(LocalGlobalTable global) {
    String table = global.createTable("same", "pk");
    List<StreamLostWritePoller> pollers = pollers(global, table, new CopyOnWriteArrayList<>());
    seedVersion17(global, table);

    for (String region : global.regions()) {
      global
          .client(region)
          .updateItem(
              r ->
                  r.tableName(table)
                      .key(KEY)
                      .updateExpression("SET version = :v, write_token = :t, last_contacted = :c")
                      .expressionAttributeValues(
                          Map.of(":v", n(17), ":t", s("t17"), ":c", s("2024-01-01"))));
    }
    global.awaitQuiescence(QUIET);

    assertThat(pollAll(pollers)).isEmpty();
  }

  @Test
  void pollOnce_legacyItemWithoutVersionUpdatedInBothRegions_reportsNothing(LocalGlobalTable global)
      throws Exception {
    String table = global.createTable("legacy", "pk");
    List<StreamLostWritePoller> pollers = pollers(global, table, new CopyOnWriteArrayList<>());
    global
        .client(EU)
        .putItem(r -> r.tableName(table).item(Map.of("pk", s("subscriber#4711"), "a", s("0"))));
    global.awaitQuiescence(QUIET);

    // LWW drops one of these, but an item without a version has no write to name: not reported
    global
        .client(EU)
        .updateItem(
            r ->
                r.tableName(table)
                    .key(KEY)
                    .updateExpression("SET a = :v")
                    .expressionAttributeValues(Map.of(":v", s("eu"))));
    Thread.sleep(20);
    global
        .client(US)
        .updateItem(
            r ->
                r.tableName(table)
                    .key(KEY)
                    .updateExpression("SET a = :v")
                    .expressionAttributeValues(Map.of(":v", s("us"))));
    global.awaitQuiescence(QUIET);

    assertThat(pollAll(pollers)).isEmpty();
  }

  @Test
  void pollOnce_delete_reportsNothing(LocalGlobalTable global) {
    String table = global.createTable("deletes", "pk");
    List<StreamLostWritePoller> pollers = pollers(global, table, new CopyOnWriteArrayList<>());
    seedVersion17(global, table);

    global.client(US).deleteItem(r -> r.tableName(table).key(KEY));
    global.awaitQuiescence(QUIET);

    assertThat(pollAll(pollers)).isEmpty();
    assertThat(global.scan(EU, table)).isEmpty();
  }

  @Test
  void start_bothRegionsWriteVersion18_backgroundThreadCallsBack(LocalGlobalTable global)
      throws Exception {
    String table = global.createTable("background", "pk");
    seedVersion17(global, table);
    List<LostWrite> calledBack = new CopyOnWriteArrayList<>();
    for (String region : global.regions()) {
      StreamLostWritePoller poller =
          pollerBuilder(global, table, region)
              .onLostWrite(calledBack::add)
              .pollInterval(Duration.ofMillis(50))
              .build();
      toClose.add(poller);
      poller.start();
      assertThatThrownBy(poller::start).isInstanceOf(IllegalStateException.class);
    }

    londonWrites(global, table);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (calledBack.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(200); // a duplicate, if any, would arrive now

    assertThat(calledBack).extracting(LostWrite::writeToken).containsExactly("eu-18");
  }

  @Test
  void close_thenPollOnce_refused(LocalGlobalTable global) {
    String table = global.createTable("closed", "pk");
    StreamLostWritePoller poller = pollerBuilder(global, table, EU).build();
    poller.start();

    poller.close();
    poller.close();

    assertThatThrownBy(poller::pollOnce).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(poller::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void pollOnce_streamWithoutOldImages_refusedWithReason(LocalGlobalTable global) {
    DynamoDbClient raw = global.server(EU).client();
    String table = "new-images-only-" + System.nanoTime();
    raw.createTable(
        r ->
            r.tableName(table)
                .billingMode("PAY_PER_REQUEST")
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType("HASH").build())
                .attributeDefinitions(
                    AttributeDefinition.builder().attributeName("pk").attributeType("S").build())
                .streamSpecification(
                    st -> st.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
    StreamLostWritePoller poller =
        StreamLostWritePoller.builder()
            .detector(
                StreamDetector.builder().table(TableDescription.of(table, "pk")).region(EU).build())
            .dynamoDbClient(raw)
            .streamsClient(streamsClient(global, EU))
            .build();

    assertThatThrownBy(poller::pollOnce)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("NEW_AND_OLD_IMAGES");
  }

  @Test
  void pollOnce_tableWithoutStream_refusedWithReason(LocalGlobalTable global) {
    DynamoDbClient raw = global.server(EU).client();
    String table = "no-stream-" + System.nanoTime();
    raw.createTable(
        r ->
            r.tableName(table)
                .billingMode("PAY_PER_REQUEST")
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType("HASH").build())
                .attributeDefinitions(
                    AttributeDefinition.builder().attributeName("pk").attributeType("S").build()));
    StreamLostWritePoller poller =
        StreamLostWritePoller.builder()
            .detector(
                StreamDetector.builder().table(TableDescription.of(table, "pk")).region(EU).build())
            .dynamoDbClient(raw)
            .streamsClient(streamsClient(global, EU))
            .build();

    assertThatThrownBy(poller::pollOnce)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no stream");
  }

  @Test
  void builder_badSettings_refusedWhereMade() {
    assertThatThrownBy(() -> StreamLostWritePoller.builder().detector(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> StreamLostWritePoller.builder().streamsClient(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> StreamLostWritePoller.builder().listener(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> StreamLostWritePoller.builder().onLostWrite(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> StreamLostWritePoller.builder().streamArn(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StreamLostWritePoller.builder().pollInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StreamLostWritePoller.builder().pollInterval(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    StreamDetector detector =
        StreamDetector.builder().table(TableDescription.of("t", "pk")).region(EU).build();
    assertThatThrownBy(() -> StreamLostWritePoller.builder().detector(detector).build())
        .isInstanceOf(IllegalStateException.class);
    try (DynamoDbStreamsClient streams =
        DynamoDbStreamsClient.builder()
            .region(Region.EU_WEST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
            .build()) {
      assertThatThrownBy(
              () ->
                  StreamLostWritePoller.builder().detector(detector).streamsClient(streams).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("dynamoDbClient");
      assertThat(
              StreamLostWritePoller.builder()
                  .detector(detector)
                  .streamsClient(streams)
                  .streamArn("arn:aws:dynamodb:eu-west-1:1:table/t/stream/x")
                  .build()
                  .detector())
          .isSameAs(detector);
    }
  }
}
