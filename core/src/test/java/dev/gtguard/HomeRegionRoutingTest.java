package dev.gtguard;

import static dev.gtguard.Items.count;
import static dev.gtguard.Items.increment;
import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.exception.HomeRegionUnavailableException;
import dev.gtguard.exception.UnknownRegionException;
import dev.gtguard.spi.FailoverWrite;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.testkit.Concurrently;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import dev.gtguard.testkit.RequestCounter;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@LocalGlobalTableTest(lagMillis = 100)
class HomeRegionRoutingTest {
  private static final String EU = "eu-west-1";
  private static final String US = "us-east-1";
  private static final String AP = "ap-southeast-1";
  private static final Duration QUIET = Duration.ofSeconds(30);
  private static final ItemKey KEY = ItemKey.of("pk", "sub#1");
  private static final ConflictRetryPolicy PATIENT =
      ConflictRetryPolicy.builder()
          .maxAttempts(1000)
          .baseDelay(Duration.ofMillis(2))
          .maxDelay(Duration.ofMillis(50))
          .build();

  private final Map<String, RequestCounter> counters = new HashMap<>();
  private LocalGlobalTable global;
  private String tableName;

  @BeforeEach
  void setUp(LocalGlobalTable global) {
    this.global = global;
    this.tableName = global.createTable("routed", "pk");
  }

  /** The table as a process in {@code localRegion} sees it, with counted region clients. */
  private VersionedTable tableIn(String localRegion, HomeRegionStrategy home) {
    return tableIn(localRegion, home, FailoverPolicy.FAIL, null);
  }

  private VersionedTable tableIn(
      String localRegion,
      HomeRegionStrategy home,
      FailoverPolicy failover,
      WriteListener listener) {
    RegionClients.Builder clients = RegionClients.builder();
    for (String region : global.regions()) {
      RequestCounter counter = counters.computeIfAbsent(region, r -> new RequestCounter());
      DynamoDbClient client = global.newClient(region, counter);
      if (region.equals(localRegion)) {
        clients.local(region, client);
      } else {
        clients.remote(region, client);
      }
    }
    VersionedTableBuilder builder =
        VersionedTable.builder()
            .clients(clients.build())
            .tableName(tableName)
            .partitionKey("pk")
            .homeRegion(home)
            .failoverPolicy(failover)
            .retryPolicy(PATIENT);
    if (listener != null) {
      builder.listener(listener);
    }
    return builder.build();
  }

  private long calls(String region, String operation) {
    RequestCounter counter = counters.get(region);
    return counter == null ? 0 : counter.count(operation);
  }

  private void resetCounters() {
    counters.values().forEach(RequestCounter::reset);
  }

  @Test
  void attributeHome_writesGoOnlyToHome_plainReadsStayLocal() {
    VersionedTable inUs = tableIn(US, HomeRegionStrategy.attribute("home_region"));

    inUs.create(item("pk", s("sub#1"), "home_region", s(EU), "count", n(0)));
    // An item that names its own home is created in one region chosen from its key alone.
    String creationRegion = HomeRegionStrategy.hashed(global.regions()).regionOf(KEY, null);
    assertThat(calls(creationRegion, "PutItem")).isEqualTo(1);
    assertThat(calls(EU, "PutItem") + calls(US, "PutItem") + calls(AP, "PutItem")).isEqualTo(1);
    global.awaitQuiescence(QUIET);
    resetCounters();

    inUs.update(KEY, increment());
    // Local (eventual) read to learn the home, strong read and write in the home.
    assertThat(calls(US, "GetItem")).isEqualTo(1);
    assertThat(calls(EU, "GetItem")).isEqualTo(1);
    assertThat(calls(EU, "UpdateItem")).isEqualTo(1);
    assertThat(calls(US, "UpdateItem") + calls(AP, "UpdateItem") + calls(AP, "GetItem")).isZero();
    global.awaitQuiescence(QUIET);
    resetCounters();

    VersionedItem local = inUs.get(KEY).orElseThrow();
    assertThat(calls(US, "GetItem")).isEqualTo(1);
    assertThat(calls(EU, "GetItem")).isZero();
    inUs.update(local, increment());
    assertThat(calls(EU, "UpdateItem")).isEqualTo(1);
    assertThat(calls(US, "UpdateItem")).isZero();
    resetCounters();

    inUs.get(KEY, ReadConsistency.STRONG);
    assertThat(calls(EU, "GetItem")).isEqualTo(1);
  }

  @Test
  void keyHome_updateIsOneStrongReadAndOneWriteInHome_nothingLocal() {
    VersionedTable inUs = tableIn(US, HomeRegionStrategy.fixed(AP));
    inUs.create(item("pk", s("sub#1"), "count", n(0)));
    resetCounters();

    inUs.update(KEY, increment());
    inUs.delete(KEY, inUs.get(KEY, ReadConsistency.STRONG).orElseThrow().expected());

    assertThat(calls(AP, "GetItem")).isEqualTo(2);
    assertThat(calls(AP, "UpdateItem")).isEqualTo(1);
    assertThat(calls(AP, "DeleteItem")).isEqualTo(1);
    assertThat(counters.get(US).total() + counters.get(EU).total()).isZero();
  }

  @Test
  void unknownHomeRegion_isRefusedAndNothingIsWritten() {
    VersionedTable inUs = tableIn(US, HomeRegionStrategy.attribute("home_region"));

    assertThatThrownBy(() -> inUs.create(item("pk", s("sub#1"), "home_region", s("mars-north-1"))))
        .isInstanceOfSatisfying(
            UnknownRegionException.class,
            e -> {
              assertThat(e.requestedRegion()).isEqualTo("mars-north-1");
              assertThat(e.getMessage()).contains(EU, US, AP);
            });
    assertThatThrownBy(() -> inUs.create(item("pk", s("sub#1"))))
        .isInstanceOf(UnknownRegionException.class);
    assertThatThrownBy(
            () -> tableIn(US, HomeRegionStrategy.fixed("mars-north-1")).update(KEY, increment()))
        .isInstanceOf(UnknownRegionException.class);

    inUs.create(item("pk", s("sub#1"), "home_region", s(EU), "count", n(0)));
    global.awaitQuiescence(QUIET);
    assertThatThrownBy(() -> inUs.moveHome(KEY, "mars-north-1"))
        .isInstanceOf(UnknownRegionException.class);
    global.awaitQuiescence(QUIET);
    for (String region : global.regions()) {
      assertThat(global.scan(region, tableName)).hasSize(1);
    }
    assertThat(counters.values().stream().mapToLong(c -> c.count("UpdateItem")).sum()).isZero();
  }

  @Test
  void hashedHome_isStableAndSpreadsKeys_removingARegionMovesOnlyItsKeys() {
    HomeRegionStrategy three = HomeRegionStrategy.hashed(List.of(EU, US, AP));
    HomeRegionStrategy two = HomeRegionStrategy.hashed(List.of(EU, US));
    Map<String, Integer> spread = new HashMap<>();
    int moved = 0;
    for (int i = 0; i < 3000; i++) {
      ItemKey key = ItemKey.of("pk", "quota#" + i);
      String home = three.regionOf(key, null);
      assertThat(HomeRegionStrategy.hashed(List.of(AP, US, EU)).regionOf(key, null))
          .isEqualTo(home);
      spread.merge(home, 1, Integer::sum);
      if (!home.equals(AP)) {
        assertThat(two.regionOf(key, null)).isEqualTo(home);
      } else {
        moved++;
      }
    }
    assertThat(spread.values()).allSatisfy(n -> assertThat(n).isBetween(850, 1150));
    assertThat(moved).isEqualTo(spread.get(AP));
  }

  @Test
  void unreachableHome_failPolicy_throwsNamingRegionAndWritesNothing() {
    VersionedTable inEu = tableWithDeadRegion(FailoverPolicy.FAIL, new CopyOnWriteArrayList<>());

    assertThatThrownBy(() -> inEu.create(item("pk", s("sub#1"), "count", n(0))))
        .isInstanceOfSatisfying(
            HomeRegionUnavailableException.class, e -> assertThat(e.region()).contains(US))
        .hasMessageContaining(US);
    assertThat(global.scan(EU, tableName)).isEmpty();
  }

  @Test
  void unreachableHome_writeLocallyPolicy_writesLocallyAndFlagsFailover() {
    List<FailoverWrite> failovers = new CopyOnWriteArrayList<>();
    VersionedTable inEu = tableWithDeadRegion(FailoverPolicy.WRITE_LOCALLY, failovers);

    VersionedItem created = inEu.create(item("pk", s("sub#1"), "count", n(0)));
    UpdateResult updated = inEu.update(KEY, increment());

    assertThat(created.version()).isEqualTo(1);
    assertThat(count(updated.item())).isEqualTo(1);
    assertThat(global.scan(EU, tableName)).hasSize(1);
    assertThat(failovers)
        .hasSize(2)
        .allSatisfy(
            f -> {
              assertThat(f.homeRegion()).isEqualTo(US);
              assertThat(f.writtenRegion()).isEqualTo(EU);
            });
  }

  /**
   * eu-west-1 local; us-east-1, every item's home, is a client whose endpoint nobody listens on.
   */
  private VersionedTable tableWithDeadRegion(FailoverPolicy policy, List<FailoverWrite> failovers) {
    DynamoDbClient dead =
        DynamoDbClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:9"))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("l", "l")))
            .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
            .build();
    return VersionedTable.builder()
        .clients(RegionClients.builder().local(EU, global.client(EU)).remote(US, dead).build())
        .tableName(tableName)
        .partitionKey("pk")
        .homeRegion(HomeRegionStrategy.fixed(US))
        .failoverPolicy(policy)
        .listener(
            new WriteListener() {
              @Override
              public void onFailover(FailoverWrite event) {
                failovers.add(event);
              }
            })
        .build();
  }

  @Test
  void concurrentWritesFromEveryRegion_routedHome_noIncrementLost() throws Exception {
    Map<String, VersionedTable> tables = new HashMap<>();
    for (String region : global.regions()) {
      tables.put(region, tableIn(region, HomeRegionStrategy.attribute("home_region")));
    }
    tables.get(AP).create(item("pk", s("sub#1"), "home_region", s(EU), "count", n(0)));
    global.awaitQuiescence(QUIET);
    AtomicLong acknowledged = new AtomicLong();

    Concurrently.repeat(
        3,
        20,
        () -> {
          String region = global.regions().get((int) (Thread.currentThread().getId() % 3));
          tables.get(region).update(KEY, increment());
          acknowledged.incrementAndGet();
        });
    global.awaitQuiescence(QUIET);

    for (String region : global.regions()) {
      assertThat(global.scan(region, tableName).values())
          .singleElement()
          .satisfies(i -> assertThat(i.get("count")).isEqualTo(n(acknowledged.get())));
    }
  }

  @Test
  void moveHome_underConcurrentWritesFromEveryRegion_losesNothing() throws Exception {
    Map<String, VersionedTable> tables = new HashMap<>();
    for (String region : global.regions()) {
      tables.put(region, tableIn(region, HomeRegionStrategy.attribute("home_region")));
    }
    tables.get(EU).create(item("pk", s("sub#1"), "home_region", s(EU), "count", n(0)));
    global.awaitQuiescence(QUIET);
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong round = new AtomicLong();

    Concurrently.repeat(
        4,
        15,
        () -> {
          long n = round.incrementAndGet();
          if (n == 20) {
            tables.get(AP).moveHome(KEY, US);
            return;
          }
          tables.get(global.regions().get((int) (n % 3))).update(KEY, increment());
          acknowledged.incrementAndGet();
        });
    global.awaitQuiescence(QUIET);

    for (String region : global.regions()) {
      Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item =
          global.scan(region, tableName).values().iterator().next();
      assertThat(item.get("count")).isEqualTo(n(acknowledged.get()));
      assertThat(item.get("home_region")).isEqualTo(s(US));
    }
  }
}
