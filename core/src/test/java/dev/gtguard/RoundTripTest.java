package dev.gtguard;

import static dev.gtguard.Items.increment;
import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import dev.gtguard.testkit.RequestCounter;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Requests per operation, counted by an SDK execution interceptor on the real client. */
@DynamoDbLocalTest
class RoundTripTest {
  private static final ItemKey KEY = ItemKey.of("pk", "sub#1");

  private final RequestCounter counter = new RequestCounter();
  private DynamoDbClient client;
  private VersionedTable table;

  /** Another writer of the same table, as another process would be. */
  private VersionedTable other;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    client = ddb.newClient(Region.EU_WEST_1, counter);
    String tableName = ddb.createTable("round-trips", "pk");
    table = table(tableName);
    other = table(tableName);
  }

  private VersionedTable table(String tableName) {
    return VersionedTable.builder()
        .client(client)
        .tableName(tableName)
        .partitionKey("pk")
        .retryPolicy(
            ConflictRetryPolicy.builder()
                .maxAttempts(10)
                .baseDelay(Duration.ZERO)
                .maxDelay(Duration.ZERO)
                .build())
        .build();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  @Test
  void create_isOnePutItem() {
    table.create(item("pk", s("sub#1"), "count", n(0)));
    assertThat(counter.snapshot()).containsExactlyEntriesOf(java.util.Map.of("PutItem", 1L));
  }

  @Test
  void update_byKeyUncontended_isOneGetItemPlusOneUpdateItem() {
    table.create(item("pk", s("sub#1"), "count", n(0)));
    counter.reset();

    table.update(KEY, increment());

    assertThat(counter.count("GetItem")).isEqualTo(1);
    assertThat(counter.count("UpdateItem")).isEqualTo(1);
    assertThat(counter.total()).isEqualTo(2);
  }

  @Test
  void update_withHeldItemUncontended_isOneUpdateItem() {
    VersionedItem held = table.create(item("pk", s("sub#1"), "count", n(0)));
    counter.reset();

    table.update(held, increment());

    assertThat(counter.snapshot()).containsExactlyEntriesOf(java.util.Map.of("UpdateItem", 1L));
  }

  @Test
  void update_eachConflictRetry_isExactlyOneMoreUpdateItemAndNoRead() {
    VersionedItem held = table.create(item("pk", s("sub#1"), "count", n(0)));
    table.update(KEY, increment());
    table.update(KEY, increment());
    table.update(KEY, increment());
    counter.reset();

    // Three other writers get in first, one before each of our first three attempts.
    int[] calls = {0};
    UpdateResult result =
        table.update(
            held,
            current -> {
              if (calls[0]++ < 3) {
                rawIncrement();
              }
              return increment().apply(current);
            });

    // Our own attempts: 4 UpdateItems. The interleaved writers sent 3 GetItem + 3 UpdateItem.
    assertThat(result.attempts()).isEqualTo(4);
    assertThat(counter.count("UpdateItem") - 3).isEqualTo(4);
    assertThat(counter.count("GetItem") - 3).isZero();
    assertThat(Items.count(result.item())).isEqualTo(7);
  }

  private void rawIncrement() {
    other.update(KEY, increment());
  }

  @Test
  void get_isOneGetItem() {
    table.get(KEY);
    table.get(KEY, ReadConsistency.STRONG);
    assertThat(counter.snapshot()).containsExactlyEntriesOf(java.util.Map.of("GetItem", 2L));
  }
}
