package dev.gtguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The simulator must behave like MREC Global Tables, through the plain SDK. Each test states a
 * behaviour that a broken replicator (no LWW, per-attribute merge, no lag, loops) would fail.
 */
@LocalGlobalTableTest(lagMillis = 150)
class LocalGlobalTableFidelityTest {
  private static final String EU = "eu-west-1";
  private static final String US = "us-east-1";
  private static final String AP = "ap-southeast-1";
  private static final Duration QUIET = Duration.ofSeconds(20);
  private static final Map<String, AttributeValue> KEY = Map.of("pk", s("subscriber#4711"));

  static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  private static Map<String, AttributeValue> get(DynamoDbClient client, String table) {
    return client.getItem(r -> r.tableName(table).key(KEY).consistentRead(true)).item();
  }

  private static void set(
      DynamoDbClient client, String table, String attribute, AttributeValue value) {
    client.updateItem(
        r ->
            r.tableName(table)
                .key(KEY)
                .updateExpression("SET #a = :v")
                .expressionAttributeNames(Map.of("#a", attribute))
                .expressionAttributeValues(Map.of(":v", value)));
  }

  private static String seedSubscriber(LocalGlobalTable global) {
    String table = global.createTable("subscribers", "pk");
    global
        .client(EU)
        .putItem(
            r ->
                r.tableName(table)
                    .item(
                        Map.of(
                            "pk", s("subscriber#4711"),
                            "version", n(17),
                            "delivery_address", s("1 Old Street"),
                            "last_contacted", s("2024-01-01"))));
    global.awaitQuiescence(QUIET);
    return table;
  }

  @Test
  void singleWrite_replicatesOncePerOtherRegion_noLoops(LocalGlobalTable global) throws Exception {
    String table = global.createTable("once", "pk");
    ReplicationStats before = global.stats();

    global
        .client(EU)
        .putItem(r -> r.tableName(table).item(Map.of("pk", s("subscriber#4711"), "a", n(1))));
    global.awaitQuiescence(QUIET);
    sleepPastLag();

    for (String region : global.regions()) {
      assertThat(get(global.client(region), table)).containsEntry("a", n(1));
    }
    assertThat(global.stats().replicated() - before.replicated()).isEqualTo(2);
    assertThat(global.stats().untracked()).isEqualTo(before.untracked());
  }

  @Test
  void lastWriterWins_isPerItem_theLondonCase(LocalGlobalTable global) throws Exception {
    String table = seedSubscriber(global);
    long discardedBefore = global.stats().discardedByLww();

    set(global.client(EU), table, "delivery_address", s("221B Baker Street"));
    Thread.sleep(49);
    set(global.client(US), table, "last_contacted", s("2024-11-22"));
    global.awaitQuiescence(QUIET);

    // The later write's whole item survives everywhere: its last_contacted, and the OLD address.
    for (String region : global.regions()) {
      assertThat(get(global.client(region), table))
          .containsEntry("last_contacted", s("2024-11-22"))
          .containsEntry("delivery_address", s("1 Old Street"));
    }
    assertThat(global.stats().discardedByLww() - discardedBefore).isGreaterThanOrEqualTo(1);
  }

  @Test
  void conditionalWrites_checkOnlyTheLocalReplica_bothRegionsWriteVersion18(
      LocalGlobalTable global) {
    String table = seedSubscriber(global);

    for (String region : new String[] {EU, US}) {
      global
          .client(region)
          .updateItem(
              r ->
                  r.tableName(table)
                      .key(KEY)
                      .conditionExpression("version = :expected")
                      .updateExpression("SET version = :next, written_in = :region")
                      .expressionAttributeValues(
                          Map.of(":expected", n(17), ":next", n(18), ":region", s(region))));
    }
    global.awaitQuiescence(QUIET);

    Map<String, AttributeValue> survivor = get(global.client(AP), table);
    assertThat(survivor).containsEntry("version", n(18));
    for (String region : global.regions()) {
      assertThat(get(global.client(region), table)).isEqualTo(survivor);
    }
    // Once replicated, the same check is refused: replicas agree on 18 now.
    assertThatThrownBy(
            () ->
                global
                    .client(US)
                    .updateItem(
                        r ->
                            r.tableName(table)
                                .key(KEY)
                                .conditionExpression("version = :expected")
                                .updateExpression("SET version = :next")
                                .expressionAttributeValues(
                                    Map.of(":expected", n(17), ":next", n(18)))))
        .isInstanceOf(ConditionalCheckFailedException.class);
  }

  @Test
  void strongReadInOtherRegion_rightAfterWrite_returnsOldValue(LocalGlobalTable global) {
    String table = seedSubscriber(global);

    set(global.client(EU), table, "delivery_address", s("221B Baker Street"));

    assertThat(get(global.client(US), table)).containsEntry("delivery_address", s("1 Old Street"));
    global.awaitQuiescence(QUIET);
    assertThat(get(global.client(US), table))
        .containsEntry("delivery_address", s("221B Baker Street"));
  }

  @Test
  void partitionThenHeal_writesReplicateAfterHealAndLwwResolves(LocalGlobalTable global)
      throws Exception {
    String table = seedSubscriber(global);
    global.partition(EU, US);

    set(global.client(EU), table, "delivery_address", s("EU address"));
    Thread.sleep(20);
    set(global.client(US), table, "delivery_address", s("US address"));
    sleepPastLag();
    assertThat(get(global.client(EU), table)).containsEntry("delivery_address", s("EU address"));
    assertThat(get(global.client(US), table)).containsEntry("delivery_address", s("US address"));
    assertThatThrownBy(() -> global.awaitQuiescence(Duration.ofMillis(500)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("held");

    global.heal(EU, US);
    global.awaitQuiescence(QUIET);

    for (String region : global.regions()) {
      assertThat(get(global.client(region), table))
          .containsEntry("delivery_address", s("US address"));
    }
  }

  @Test
  void pauseThenResume_holdsAndThenDeliversInOrder(LocalGlobalTable global) throws Exception {
    String table = seedSubscriber(global);
    global.pause();

    for (int i = 1; i <= 5; i++) {
      set(global.client(EU), table, "counter", n(i));
    }
    sleepPastLag();
    assertThat(get(global.client(US), table)).doesNotContainKey("counter");

    global.resume();
    global.awaitQuiescence(QUIET);
    assertThat(get(global.client(US), table)).containsEntry("counter", n(5));
  }

  @Test
  void clockSkew_decidesTheWinner_notRealTime(LocalGlobalTable global) throws Exception {
    String table = seedSubscriber(global);
    global.clockSkew(US, Duration.ofMillis(-2000));

    set(global.client(EU), table, "delivery_address", s("EU, earlier in real time"));
    Thread.sleep(30);
    set(global.client(US), table, "delivery_address", s("US, later but its clock is behind"));
    global.awaitQuiescence(QUIET);

    for (String region : global.regions()) {
      assertThat(get(global.client(region), table))
          .containsEntry("delivery_address", s("EU, earlier in real time"));
    }
  }

  @Test
  void deletes_replicateAndTakePartInLww(LocalGlobalTable global) throws Exception {
    String table = seedSubscriber(global);

    global.client(US).deleteItem(r -> r.tableName(table).key(KEY));
    global.awaitQuiescence(QUIET);
    for (String region : global.regions()) {
      assertThat(get(global.client(region), table)).isEmpty();
    }

    // A delete that is later than a concurrent update wins over it everywhere.
    global
        .client(EU)
        .putItem(r -> r.tableName(table).item(Map.of("pk", s("subscriber#4711"), "a", n(1))));
    global.awaitQuiescence(QUIET);
    set(global.client(EU), table, "a", n(2));
    Thread.sleep(20);
    global.client(AP).deleteItem(r -> r.tableName(table).key(KEY));
    global.awaitQuiescence(QUIET);
    for (String region : global.regions()) {
      assertThat(get(global.client(region), table)).isEmpty();
    }
  }

  @Test
  void identicalValueWrite_producesNoStreamRecord_andDoesNotStallReplication(
      LocalGlobalTable global) {
    String table = seedSubscriber(global);
    long replicatedBefore = global.stats().replicated();

    set(global.client(EU), table, "delivery_address", s("1 Old Street"));
    global.awaitQuiescence(QUIET);

    assertThat(global.stats().replicated()).isEqualTo(replicatedBefore);
    set(global.client(EU), table, "delivery_address", s("2 New Street"));
    global.awaitQuiescence(QUIET);
    assertThat(get(global.client(AP), table)).containsEntry("delivery_address", s("2 New Street"));
  }

  @Test
  void randomConcurrentWritesInAllRegions_converge(LocalGlobalTable global) throws Exception {
    String table = global.createTable("random", "pk");
    global.lag(Lag.of(Duration.ofMillis(10), Duration.ofMillis(90)));
    AtomicLong writes = new AtomicLong();
    long discardedBefore = global.stats().discardedByLww();

    Concurrently.repeat(
        6,
        60,
        () -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          DynamoDbClient client = global.client(global.regions().get(random.nextInt(3)));
          Map<String, AttributeValue> key = Map.of("pk", s("k" + random.nextInt(8)));
          switch (random.nextInt(3)) {
            case 0 ->
                client.putItem(
                    r ->
                        r.tableName(table)
                            .item(Map.of("pk", key.get("pk"), "v", n(random.nextInt(1000)))));
            case 1 ->
                client.updateItem(
                    r ->
                        r.tableName(table)
                            .key(key)
                            .updateExpression("SET w = :w")
                            .expressionAttributeValues(Map.of(":w", n(random.nextInt(1000)))));
            default -> client.deleteItem(r -> r.tableName(table).key(key));
          }
          writes.incrementAndGet();
        });
    global.awaitQuiescence(QUIET);

    var eu = global.scan(EU, table);
    assertThat(global.scan(US, table)).isEqualTo(eu);
    assertThat(global.scan(AP, table)).isEqualTo(eu);
    assertThat(writes).hasValue(360);
    assertThat(global.stats().discardedByLww() - discardedBefore)
        .as("concurrent writes to the same items must have collided")
        .isPositive();
  }

  @Test
  void writeBypassingTheSimulatorsClients_isStillReplicated(LocalGlobalTable global) {
    String table = global.createTable("bypass", "pk");
    long untrackedBefore = global.stats().untracked();

    try (DynamoDbClient direct = global.server(EU).newClient(Region.EU_WEST_1)) {
      direct.putItem(r -> r.tableName(table).item(Map.of("pk", s("subscriber#4711"), "a", n(1))));
    }
    awaitReplicated(global, table);

    assertThat(get(global.client(US), table)).containsEntry("a", n(1));
    assertThat(global.stats().untracked() - untrackedBefore).isEqualTo(1);
  }

  @Test
  void emptyMapAndListAttributes_replicateUnchanged(LocalGlobalTable global) {
    String table = global.createTable("empty-collections", "pk");
    long untrackedBefore = global.stats().untracked();
    Map<String, AttributeValue> item =
        Map.of(
            "pk", s("subscriber#4711"),
            "prefs", AttributeValue.fromM(Map.of()),
            "tags", AttributeValue.fromL(java.util.List.of()),
            "nested", AttributeValue.fromM(Map.of("inner", AttributeValue.fromM(Map.of()))));

    global.client(EU).putItem(r -> r.tableName(table).item(item));
    global.awaitQuiescence(QUIET);

    // DynamoDB Local's stream drops the type of an empty map; the replica must still match.
    assertThat(get(global.client(US), table)).isEqualTo(item);
    assertThat(global.stats().untracked()).isEqualTo(untrackedBefore);
  }

  @Test
  void unknownRegion_isRefused(LocalGlobalTable global) {
    assertThatThrownBy(() -> global.client("mars-north-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mars-north-1");
  }

  private static void awaitReplicated(LocalGlobalTable global, String table) {
    long deadline = System.currentTimeMillis() + QUIET.toMillis();
    while (get(global.client(AP), table).isEmpty() && System.currentTimeMillis() < deadline) {
      sleepQuietly(20);
    }
    global.awaitQuiescence(QUIET);
  }

  private static void sleepPastLag() throws InterruptedException {
    Thread.sleep(400);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
