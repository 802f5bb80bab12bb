package dev.gtguard.faults;

import static dev.gtguard.Items.item;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.HomeRegionStrategy;
import dev.gtguard.ItemKey;
import dev.gtguard.RegionClients;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.exception.ItemAlreadyExistsException;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Two regions create the same keys at the same moment, each naming itself the home. Checked in two
 * replicas, both creates would pass {@code attribute_not_exists} and one would vanish; created in
 * one region chosen from the key, exactly one wins and the other is told.
 */
@LocalGlobalTableTest(
    regions = {"eu-west-1", "us-east-1"},
    lagMillis = 300)
class CreateRaceTest {
  private static final int KEYS = 20;

  @Test
  void concurrentCreatesNamingDifferentHomes_exactlyOneAcknowledgedPerKey_noneLost(
      LocalGlobalTable global) throws Exception {
    String tableName = global.createTable("create-race", "pk");
    Map<String, VersionedTable> tables = new ConcurrentHashMap<>();
    for (String region : global.regions()) {
      RegionClients.Builder clients = RegionClients.builder().local(region, global.client(region));
      global.regions().stream()
          .filter(r -> !r.equals(region))
          .forEach(r -> clients.remote(r, global.client(r)));
      tables.put(
          region,
          VersionedTable.builder()
              .clients(clients.build())
              .tableName(tableName)
              .partitionKey("pk")
              .homeRegion(HomeRegionStrategy.attribute("home_region"))
              .build());
    }

    Map<String, VersionedItem> acknowledged = new ConcurrentHashMap<>();
    Map<String, Integer> refused = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(2 * KEYS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new java.util.ArrayList<>();
      for (int k = 0; k < KEYS; k++) {
        String key = "sub#" + k;
        for (String region : global.regions()) {
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    try {
                      VersionedItem created =
                          tables.get(region).create(item("pk", s(key), "home_region", s(region)));
                      VersionedItem other = acknowledged.put(key, created);
                      assertThat(other).as("second acknowledged create of " + key).isNull();
                    } catch (ItemAlreadyExistsException e) {
                      refused.merge(key, 1, Integer::sum);
                    }
                    return null;
                  }));
        }
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    global.awaitQuiescence(Duration.ofSeconds(30));

    assertThat(acknowledged).hasSize(KEYS);
    assertThat(refused.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(KEYS);
    for (String region : global.regions()) {
      for (Map.Entry<String, VersionedItem> won : acknowledged.entrySet()) {
        Map<String, AttributeValue> settled =
            global
                .client(region)
                .getItem(
                    r ->
                        r.tableName(tableName)
                            .key(ItemKey.of("pk", won.getKey()).asMap())
                            .consistentRead(true))
                .item();
        assertThat(settled.get("write_token").s())
            .as("the acknowledged create of " + won.getKey() + " survives in " + region)
            .isEqualTo(won.getValue().writeToken().orElseThrow());
      }
    }
  }
}
