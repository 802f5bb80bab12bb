package dev.gtguard.async;

import static dev.gtguard.Items.increment;
import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.AsyncVersionedTable;
import dev.gtguard.AsyncVersionedTableBuilder;
import dev.gtguard.Changes;
import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.FailoverPolicy;
import dev.gtguard.HomeRegionStrategy;
import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.RegionClients;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedTable;
import dev.gtguard.exception.HomeRegionUnavailableException;
import dev.gtguard.ledger.Reconciler;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.spi.FailoverWrite;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spi.WriteRerouted;
import dev.gtguard.spi.WriteSucceeded;
import dev.gtguard.testkit.Fault;
import dev.gtguard.testkit.FaultInjectingAsyncHttpClient;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import dev.gtguard.testkit.RequestCounter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The asynchronous table across the regions of a local Global Table: the London replay (versioned
 * writes in two regions both succeed, one is lost, the ledger proves it; home-routed, both
 * survive), and a home that refuses every connection (failover only when allowed, reported after
 * the local write; otherwise nothing written).
 */
@LocalGlobalTableTest(
    regions = {"eu-west-1", "us-east-1"},
    lagMillis = 300, // slower than the 49 ms between the two London writes: they race
    shared = true)
class AsyncMultiRegionTest {
  private static final String EU = "eu-west-1";
  private static final String US = "us-east-1";
  private static final String PK = "subscriber#4711";
  private static final ItemKey KEY = ItemKey.of("pk", PK);
  private static final Duration QUIET = Duration.ofSeconds(30);

  private static LocalGlobalTable global;
  private static DynamoDbAsyncClient eu;
  private static DynamoDbAsyncClient us;
  private static DynamoDbAsyncClient unreachable;

  /** Refuses every connection: nothing sent through it ever reaches us-east-1. */
  private static final FaultInjectingAsyncHttpClient refusing = new FaultInjectingAsyncHttpClient();

  private static final RequestCounter usRequests = new RequestCounter();

  private final List<Object> events = new CopyOnWriteArrayList<>();
  private ExecutorService user;
  private String tableName;
  private WriteLedger ledger;

  @BeforeAll
  static void clients(LocalGlobalTable global) {
    AsyncMultiRegionTest.global = global;
    eu = global.asyncClient(EU);
    us = global.newAsyncClient(US, usRequests);
    refusing.inject("*", Fault.refuseConnection(), Integer.MAX_VALUE);
    unreachable = global.newAsyncClient(US, refusing);
  }

  @BeforeEach
  void setUp() {
    user = Executors.newFixedThreadPool(2);
    tableName = global.createTable("async-london", "pk");
    ledger = WriteLedger.builder().tableName(global.createTable("ledger", "pk", "sk")).build();
  }

  @AfterEach
  void tearDown() {
    user.shutdownNow();
  }

  private AsyncVersionedTable table(
      RegionClients clients, HomeRegionStrategy home, FailoverPolicy failover) {
    AsyncVersionedTableBuilder builder =
        AsyncVersionedTable.builder()
            .clients(clients)
            .tableName(tableName)
            .partitionKey("pk")
            .ledger(ledger)
            .failoverPolicy(failover)
            .retryPolicy(
                ConflictRetryPolicy.builder()
                    .baseDelay(Duration.ofMillis(5))
                    .maxDelay(Duration.ofMillis(50))
                    .build())
            .executor(user)
            .listener(
                new WriteListener() {
                  @Override
                  public void onWriteSucceeded(WriteSucceeded event) {
                    events.add(event);
                  }

                  @Override
                  public void onRerouted(WriteRerouted event) {
                    events.add(event);
                  }

                  @Override
                  public void onFailover(FailoverWrite event) {
                    events.add(event);
                  }
                });
    if (home != null) {
      builder.homeRegion(home);
    }
    return builder.build();
  }

  private static RegionClients both(String local) {
    return RegionClients.builder()
        .local(local, local.equals(EU) ? eu : us)
        .remote(local.equals(EU) ? US : EU, local.equals(EU) ? us : eu)
        .build();
  }

  private void seed(String home) {
    global
        .client(EU)
        .putItem(
            r ->
                r.tableName(tableName)
                    .item(
                        item(
                            "pk",
                            s(PK),
                            "delivery_address",
                            s("12 Old Kent Road, London"),
                            "last_contacted",
                            s("2024-10-01T09:00:00Z"),
                            "home_region",
                            s(home),
                            "count",
                            n(0),
                            "version",
                            n(17),
                            "write_token",
                            s("01JCSEED000000000000000017"))));
    global.awaitQuiescence(QUIET);
  }

  /** The portal in eu-west-1, and 49 ms later the retention job in us-east-1. */
  /** The versions the two writes were acknowledged at. */
  private List<Long> london(AsyncVersionedTable portal, AsyncVersionedTable retention)
      throws Exception {
    CompletableFuture<UpdateResult> address =
        portal.update(
            KEY,
            item -> Changes.builder().set("delivery_address", "221B Baker Street, London").build());
    Thread.sleep(49);
    CompletableFuture<UpdateResult> contacted =
        retention.update(
            KEY,
            item -> Changes.builder().set("last_contacted", "2024-11-22T14:07:12.189Z").build());
    long first = address.get(30, TimeUnit.SECONDS).item().version();
    long second = contacted.get(30, TimeUnit.SECONDS).item().version();
    global.awaitQuiescence(QUIET);
    return List.of(first, second);
  }

  private Map<String, AttributeValue> stored(String region) {
    return global
        .client(region)
        .getItem(r -> r.tableName(tableName).key(KEY.asMap()).consistentRead(true))
        .item();
  }

  @Test
  void london_versioned_bothAcknowledged_oneLost_theLedgerProvesIt() throws Exception {
    seed(EU);
    AsyncVersionedTable portal = table(RegionClients.single(eu), null, FailoverPolicy.FAIL);
    AsyncVersionedTable retention = table(RegionClients.single(us), null, FailoverPolicy.FAIL);

    // Both built on version 17 in their own region: the race the replication lag allows.
    assertThat(london(portal, retention)).containsExactly(18L, 18L);

    Map<String, AttributeValue> survivor = stored(EU);
    assertThat(stored(US)).isEqualTo(survivor);
    boolean addressSurvived =
        survivor.get("delivery_address").s().equals("221B Baker Street, London");
    boolean contactSurvived = survivor.get("last_contacted").s().equals("2024-11-22T14:07:12.189Z");
    assertThat(addressSurvived ^ contactSurvived).as("exactly one write survived").isTrue();

    VersionedTable blocking =
        VersionedTable.builder()
            .client(global.client(EU))
            .tableName(tableName)
            .partitionKey("pk")
            .ledger(ledger)
            .build();
    List<LostWrite> lost =
        Reconciler.builder()
            .ledger(ledger)
            .ledgerClient(global.client(EU))
            .table(blocking)
            .build()
            .run()
            .lost();
    assertThat(lost).hasSize(1);
    assertThat(lost.get(0).region()).isEqualTo(addressSurvived ? US : EU);
  }

  @Test
  void london_homeRouted_bothChangesSurvive_theJobsWriteWentToTheHome() throws Exception {
    seed(EU);
    HomeRegionStrategy home = HomeRegionStrategy.attribute("home_region");
    AsyncVersionedTable portal = table(both(EU), home, FailoverPolicy.FAIL);
    AsyncVersionedTable retention = table(both(US), home, FailoverPolicy.FAIL);
    usRequests.reset();

    assertThat(london(portal, retention)).containsExactlyInAnyOrder(18L, 19L);

    for (String region : List.of(EU, US)) {
      assertThat(stored(region))
          .containsEntry("delivery_address", s("221B Baker Street, London"))
          .containsEntry("last_contacted", s("2024-11-22T14:07:12.189Z"))
          .containsEntry("version", n(19));
    }
    // us-east-1 only read its replica to find the home; both writes went to eu-west-1.
    assertThat(usRequests.snapshot()).containsOnlyKeys("GetItem");
    assertThat(events)
        .filteredOn(WriteSucceeded.class::isInstance)
        .allSatisfy(e -> assertThat(((WriteSucceeded) e).region()).isEqualTo(EU));
  }

  @Test
  void unreachableHome_writeLocally_failsOver_reportedAfterTheLocalWrite() throws Exception {
    seed(US);
    RegionClients clients = RegionClients.builder().local(EU, eu).remote(US, unreachable).build();
    AsyncVersionedTable table =
        table(clients, HomeRegionStrategy.fixed(US), FailoverPolicy.WRITE_LOCALLY);

    UpdateResult result = table.update(KEY, increment()).get(30, TimeUnit.SECONDS);

    assertThat(result.item().writtenIn()).contains(EU);
    assertThat(events).hasSize(2);
    assertThat(events.get(0))
        .isInstanceOfSatisfying(WriteSucceeded.class, e -> assertThat(e.region()).isEqualTo(EU));
    assertThat(events.get(1))
        .isInstanceOfSatisfying(FailoverWrite.class, e -> assertThat(e.homeRegion()).isEqualTo(US));
    global.awaitQuiescence(QUIET);
    assertThat(stored(US)).containsEntry("count", n(1)).containsEntry("version", n(18));
  }

  @Test
  void unreachableHome_failPolicy_homeUnavailable_nothingWritten() {
    seed(US);
    RegionClients clients = RegionClients.builder().local(EU, eu).remote(US, unreachable).build();
    AsyncVersionedTable table = table(clients, HomeRegionStrategy.fixed(US), FailoverPolicy.FAIL);

    assertThatThrownBy(() -> table.update(KEY, increment()).get(30, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            HomeRegionUnavailableException.class, e -> assertThat(e.region()).contains(US))
        .hasMessageContaining("nothing was written");

    assertThat(events).isEmpty();
    global.awaitQuiescence(QUIET);
    assertThat(stored(EU)).containsEntry("version", n(17)).containsEntry("count", n(0));
  }
}
