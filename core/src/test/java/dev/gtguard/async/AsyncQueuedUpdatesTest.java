package dev.gtguard.async;

import static dev.gtguard.Items.count;
import static dev.gtguard.Items.increment;
import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.AsyncVersionedTable;
import dev.gtguard.ItemKey;
import dev.gtguard.ReadConsistency;
import dev.gtguard.SameItemUpdates;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedItem;
import dev.gtguard.spi.WriteConflict;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import dev.gtguard.testkit.RequestCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * {@link SameItemUpdates#QUEUED}, the default, on {@link AsyncVersionedTable}: the completion of
 * one update of an item starts the next; each is a write of its own and none conflicts.
 */
@DynamoDbLocalTest
class AsyncQueuedUpdatesTest {
  private static final ItemKey KEY = ItemKey.of("pk", "hot");

  private final RequestCounter requests = new RequestCounter();
  private final AtomicInteger conflicts = new AtomicInteger();
  private DynamoDbAsyncClient client;
  private ExecutorService user;
  private AsyncVersionedTable table;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) throws Exception {
    client = ddb.newAsyncClient(Region.EU_WEST_1, requests);
    user = Executors.newFixedThreadPool(2);
    table =
        AsyncVersionedTable.builder()
            .client(client)
            .tableName(ddb.createTable("async-queued", "pk"))
            .partitionKey("pk")
            .executor(user)
            .listener(
                new WriteListener() {
                  @Override
                  public void onConflict(WriteConflict event) {
                    conflicts.incrementAndGet();
                  }
                })
            .build();
    table.create(item("pk", s("hot"), "count", n(0))).get(10, TimeUnit.SECONDS);
    requests.reset();
  }

  @AfterEach
  void tearDown() {
    client.close();
    user.shutdownNow();
  }

  @Test
  void twoHundredFutures_twoThreads_oneWriteEach_noConflict() throws Exception {
    assertThat(table.sameItemUpdates()).isEqualTo(SameItemUpdates.QUEUED);
    List<CompletableFuture<UpdateResult>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      futures.add(table.update(KEY, increment()));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    VersionedItem stored = table.get(KEY, ReadConsistency.STRONG).get(10, TimeUnit.SECONDS).get();
    assertThat(count(stored)).isEqualTo(200);
    assertThat(stored.version()).isEqualTo(201);
    assertThat(conflicts).hasValue(0);
    assertThat(requests.count("UpdateItem")).as("one write per update").isEqualTo(200);
    assertThat(futures.stream().map(f -> f.join().item().version()).distinct().count())
        .as("a version of its own for each update")
        .isEqualTo(200);
    assertThat(futures).allSatisfy(f -> assertThat(f.join().attempts()).isEqualTo(1));
  }
}
