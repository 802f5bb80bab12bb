package dev.gtguard;

import static dev.gtguard.Items.count;
import static dev.gtguard.Items.increment;
import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.testkit.Concurrently;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import dev.gtguard.testkit.RequestCounter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * 16 threads x 100 increments of one item. Through the library every acknowledged increment
 * survives; the blind read-modify-write control in the same harness loses increments, which shows
 * the harness can observe a loss at all.
 */
@DynamoDbLocalTest
class CounterConservationTest {
  private static final int THREADS = 16;
  private static final int INCREMENTS = 100;
  private static final ItemKey KEY = ItemKey.of("pk", "subscriber#hot");

  private final RequestCounter counter = new RequestCounter();
  private DynamoDbClient client;
  private String tableName;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    client = ddb.newClient(Region.EU_WEST_1, counter);
    tableName = ddb.createTable("hot-counter", "pk");
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  @Test
  void update_16ThreadsX100Increments_conservesEveryIncrement() throws Exception {
    VersionedTable table =
        VersionedTable.builder()
            .client(client)
            .tableName(tableName)
            .partitionKey("pk")
            // The threads compete as separate processes would: the retry loop is what is tested
            // (QueuedUpdatesTest: the default, where they never conflict).
            .sameItemUpdates(SameItemUpdates.CONCURRENT)
            .retryPolicy(
                ConflictRetryPolicy.builder()
                    // Conservation is the point here, not the tail: an unlucky writer that keeps
                    // losing must not be cut off (on 2 busy cores a few need well over 100 tries).
                    .maxAttempts(10_000)
                    .baseDelay(Duration.ofMillis(2))
                    .maxDelay(Duration.ofMillis(100))
                    .build())
            .build();
    table.create(item("pk", s("subscriber#hot"), "count", n(0)));
    counter.reset();
    AtomicLong attempts = new AtomicLong();

    Concurrently.repeat(
        THREADS,
        INCREMENTS,
        () -> {
          UpdateResult result = table.update(KEY, increment());
          attempts.addAndGet(result.attempts());
        });

    VersionedItem finalItem = table.get(KEY, ReadConsistency.STRONG).orElseThrow();
    assertThat(count(finalItem)).isEqualTo(THREADS * INCREMENTS);
    assertThat(finalItem.version()).isEqualTo(1 + THREADS * INCREMENTS);
    // Every attempt is exactly one UpdateItem, built on a fresh read: the first of each update()
    // call, and one after each retry's pause (plus the get above).
    assertThat(counter.count("UpdateItem")).isEqualTo(attempts.get());
    assertThat(counter.count("GetItem")).isEqualTo(attempts.get() + 1);
    assertThat(attempts.get()).isGreaterThan(THREADS * INCREMENTS);
  }

  @Test
  void blindReadModifyWrite_sameHarness_losesIncrements() throws Exception {
    client.putItem(
        r -> r.tableName(tableName).item(item("pk", s("subscriber#hot"), "count", n(0))));

    Concurrently.repeat(
        THREADS,
        INCREMENTS,
        () -> {
          Map<String, AttributeValue> current =
              client
                  .getItem(r -> r.tableName(tableName).key(KEY.asMap()).consistentRead(true))
                  .item();
          long next = Long.parseLong(current.get("count").n()) + 1;
          client.putItem(
              r -> r.tableName(tableName).item(item("pk", s("subscriber#hot"), "count", n(next))));
        });

    long stored =
        Long.parseLong(
            client
                .getItem(r -> r.tableName(tableName).key(KEY.asMap()).consistentRead(true))
                .item()
                .get("count")
                .n());
    assertThat(counter.count("PutItem")).isEqualTo(1 + THREADS * INCREMENTS);
    assertThat(stored).as("acknowledged increments that survived").isLessThan(THREADS * INCREMENTS);
  }
}
