package dev.gtguard.enhanced;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.ReadConsistency;
import dev.gtguard.SameItemUpdates;
import dev.gtguard.testkit.Concurrently;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import dev.gtguard.testkit.RequestCounter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * 8 threads x 50 increments of one entity's counter through {@code update(key, entity -> ...)}:
 * every acknowledged increment survives, and every attempt is exactly one {@code UpdateItem}.
 * Queued (the default), no increment conflicts with another; concurrent, the conflicts are retried;
 * with {@code sameItemUpdates(COMBINED)} in the table's options, in fewer writes than increments.
 */
@DynamoDbLocalTest
class EntityCounterConservationTest {
  private static final int THREADS = 8;
  private static final int INCREMENTS = 50;
  private static final Key KEY = Key.builder().partitionValue("subscriber#hot").build();

  private final RequestCounter counter = new RequestCounter();
  private DynamoDbClient client;
  private LocalDynamoDb ddb;
  private GlobalTablesExtension globalTables;
  private DynamoDbEnhancedClient enhanced;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    this.ddb = ddb;
    client = ddb.newClient(Region.EU_WEST_1, counter);
    globalTables = GlobalTablesExtension.builder().client(client).build();
    enhanced =
        DynamoDbEnhancedClient.builder()
            .dynamoDbClient(client)
            .extensions(globalTables.withSdkDefaults())
            .build();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  @Test
  void queued_8ThreadsX50Increments_conservesEveryIncrement_withoutAConflict() throws Exception {
    long attempts = increments(SameItemUpdates.QUEUED);

    assertThat(attempts).as("no update conflicted with another").isEqualTo(THREADS * INCREMENTS);
  }

  @Test
  void concurrent_8ThreadsX50Increments_conservesEveryIncrement() throws Exception {
    increments(SameItemUpdates.CONCURRENT);
  }

  /** The 8 x 50 increments; checks what every mode must hold; the attempts they took. */
  private long increments(SameItemUpdates mode) throws Exception {
    VersionedEntityTable<Customer> customers =
        globalTables.table(
            enhanced.table(ddb.createTable("hot", "id"), TableSchema.fromBean(Customer.class)),
            options ->
                // Conservation is the point here, not the tail: no writer may be cut off.
                options
                    .sameItemUpdates(mode)
                    .retryPolicy(
                        ConflictRetryPolicy.builder()
                            .maxAttempts(10_000)
                            .baseDelay(Duration.ofMillis(2))
                            .maxDelay(Duration.ofMillis(100))
                            .build()));
    Customer hot = new Customer("subscriber#hot", "12 Old Kent Road");
    hot.setCount(0L);
    customers.create(hot);
    counter.reset();
    AtomicLong attempts = new AtomicLong();

    Concurrently.repeat(
        THREADS,
        INCREMENTS,
        () ->
            attempts.addAndGet(
                customers
                    .updateWithResult(
                        KEY,
                        c -> {
                          c.setCount(c.getCount() + 1);
                          return c;
                        })
                    .attempts()));

    Customer stored = customers.get(KEY, ReadConsistency.STRONG).orElseThrow();
    assertThat(stored.getCount()).isEqualTo(THREADS * INCREMENTS);
    assertThat(stored.getVersion()).isEqualTo(1 + THREADS * INCREMENTS);
    assertThat(counter.count("UpdateItem")).isEqualTo(attempts.get());
    // One read per update() call and one after each retry's pause, plus the get above.
    assertThat(counter.count("GetItem")).isEqualTo(attempts.get() + 1);
    assertThat(counter.count("PutItem")).isZero();
    return attempts.get();
  }

  @Test
  void combined_throughTheOptions_conservesEveryIncrement_inFewerWrites() throws Exception {
    VersionedEntityTable<Customer> combined =
        globalTables.table(
            enhanced.table(
                ddb.createTable("hot-combined", "id"), TableSchema.fromBean(Customer.class)),
            options -> options.sameItemUpdates(SameItemUpdates.COMBINED));
    Customer hot = new Customer("subscriber#hot", "12 Old Kent Road");
    hot.setCount(0L);
    combined.create(hot);
    counter.reset();

    Concurrently.repeat(
        THREADS,
        INCREMENTS,
        () ->
            combined.update(
                KEY,
                c -> {
                  c.setCount(c.getCount() + 1);
                  return c;
                }));

    Customer stored = combined.get(KEY, ReadConsistency.STRONG).orElseThrow();
    assertThat(stored.getCount()).isEqualTo(THREADS * INCREMENTS);
    assertThat(counter.count("UpdateItem"))
        .as("one write carries the increments queued while the one before it ran")
        .isEqualTo(stored.getVersion() - 1)
        .isLessThan(THREADS * INCREMENTS);
  }
}
