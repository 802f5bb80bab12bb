package dev.gtguard.batch;

import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.Changes;
import dev.gtguard.HomeRegionStrategy;
import dev.gtguard.ItemKey;
import dev.gtguard.Items;
import dev.gtguard.RegionClients;
import dev.gtguard.VersionedTable;
import dev.gtguard.exception.ItemNotFoundException;
import dev.gtguard.exception.UnknownRegionException;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import dev.gtguard.testkit.RequestCounter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@LocalGlobalTableTest(lagMillis = 50)
class HomeRegionBatchTest {
  private static final String US = "us-east-1";

  @Test
  void run_groupsByHomeRegion_writesEachItemOnlyInItsHome(LocalGlobalTable global) {
    String table = global.createTable("batch", "pk");
    Map<String, RequestCounter> counters = new HashMap<>();
    RegionClients.Builder clients = RegionClients.builder();
    for (String region : global.regions()) {
      RequestCounter counter = new RequestCounter();
      counters.put(region, counter);
      DynamoDbClient client = global.newClient(region, counter);
      if (region.equals(US)) {
        clients.local(region, client);
      } else {
        clients.remote(region, client);
      }
    }
    VersionedTable subscribers =
        VersionedTable.builder()
            .clients(clients.build())
            .tableName(table)
            .partitionKey("pk")
            .homeRegion(HomeRegionStrategy.attribute("home_region"))
            .build();
    for (int i = 0; i < 30; i++) {
      String home = global.regions().get(i % 3);
      subscribers.create(item("pk", s("sub#" + i), "home_region", s(home), "count", n(0)));
    }
    // One item that names a region nobody configured: reported, not written.
    global
        .client(US)
        .putItem(
            r -> r.tableName(table).item(item("pk", s("sub#x"), "home_region", s("mars-north-1"))));
    global.awaitQuiescence(Duration.ofSeconds(30));
    counters.values().forEach(RequestCounter::reset);
    List<HomeRegionBatch.Progress> progress = new CopyOnWriteArrayList<>();

    BatchSummary summary =
        HomeRegionBatch.builder()
            .table(subscribers)
            .concurrencyPerRegion(3)
            .progress(progress::add, 10)
            .build()
            .run(
                subscribers.scanLocal(),
                current -> Changes.builder().set("last_contacted", "2024-11-22").build());

    assertThat(summary.done()).isEqualTo(30);
    assertThat(summary.failed()).isEqualTo(1);
    for (String region : global.regions()) {
      assertThat(summary.regions().get(region).done()).isEqualTo(10);
      assertThat(counters.get(region).count("UpdateItem")).isEqualTo(10);
    }
    assertThat(summary.regions().get("<no home>").failures())
        .singleElement()
        .isInstanceOf(UnknownRegionException.class);
    assertThat(progress).last().satisfies(p -> assertThat(p.done()).isEqualTo(30));
    global.awaitQuiescence(Duration.ofSeconds(30));
    assertThat(global.scan(global.regions().get(0), table).values())
        .filteredOn(i -> i.containsKey("last_contacted"))
        .hasSize(30);
  }

  @Test
  void runKeys_missingItem_isCountedAsFailure(LocalGlobalTable global) {
    String table = global.createTable("batch-keys", "pk");
    VersionedTable subscribers =
        VersionedTable.builder()
            .clients(RegionClients.builder().local(US, global.client(US)).build())
            .tableName(table)
            .partitionKey("pk")
            .homeRegion(HomeRegionStrategy.fixed(US))
            .build();
    subscribers.create(item("pk", s("sub#1"), "count", n(0)));

    BatchSummary summary =
        HomeRegionBatch.builder()
            .table(subscribers)
            .build()
            .runKeys(
                Stream.of(ItemKey.of("pk", "sub#1"), ItemKey.of("pk", "sub#missing")),
                Items.increment());

    assertThat(summary.regions().get(US).done()).isEqualTo(1);
    assertThat(summary.regions().get(US).failures())
        .singleElement()
        .isInstanceOf(ItemNotFoundException.class);
  }
}
