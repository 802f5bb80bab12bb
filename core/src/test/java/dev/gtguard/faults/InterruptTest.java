package dev.gtguard.faults;

import static dev.gtguard.Items.increment;
import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.ItemKey;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.exception.WriteInterruptedException;
import dev.gtguard.spi.RetriesExhausted;
import dev.gtguard.spi.RetryScheduled;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.Fault;
import dev.gtguard.testkit.FaultInjectingHttpClient;
import dev.gtguard.testkit.LocalDynamoDb;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An interrupt ends a write with {@link WriteInterruptedException}, the interrupt flag kept, and
 * says whether an attempt was in flight: never "retries exhausted", never "home unreachable".
 */
@DynamoDbLocalTest
class InterruptTest {
  private static final ItemKey KEY = ItemKey.of("pk", "sub#1");

  private final FaultInjectingHttpClient faults =
      new FaultInjectingHttpClient(Apache5HttpClient.create());
  private final List<Object> giveUps = new CopyOnWriteArrayList<>();
  private DynamoDbClient client;
  private DynamoDbClient raw;
  private String tableName;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    raw = ddb.client();
    client = ddb.newClient(Region.EU_WEST_1, faults);
    tableName = ddb.createTable("interrupts", "pk");
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private VersionedTable table(ConflictRetryPolicy policy) {
    return VersionedTable.builder()
        .client(client)
        .tableName(tableName)
        .partitionKey("pk")
        .retryPolicy(policy)
        .listener(
            new WriteListener() {
              @Override
              public void onRetriesExhausted(RetriesExhausted event) {
                giveUps.add(event);
              }
            })
        .build();
  }

  private Map<String, AttributeValue> stored() {
    return raw.getItem(r -> r.tableName(tableName).key(KEY.asMap()).consistentRead(true)).item();
  }

  /**
   * Runs {@code write} on a new thread, interrupts it after {@code delay}, returns what ended it.
   */
  private static Outcome interruptAfter(Duration delay, Runnable write) throws Exception {
    AtomicReference<Thread> thread = new AtomicReference<>();
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    Thread writer =
        new Thread(
            () -> {
              thread.set(Thread.currentThread());
              try {
                write.run();
                outcome.complete(new Outcome(null, Thread.currentThread().isInterrupted()));
              } catch (RuntimeException e) {
                outcome.complete(new Outcome(e, Thread.currentThread().isInterrupted()));
              }
            });
    writer.start();
    Thread.sleep(delay.toMillis());
    writer.interrupt();
    return outcome.get(30, TimeUnit.SECONDS);
  }

  private record Outcome(RuntimeException thrown, boolean flagSet) {}

  @Test
  void interruptDuringACall_theWriteMayHaveBeenApplied_saysSo() throws Exception {
    table(ConflictRetryPolicy.ofDefaults()).create(item("pk", s("sub#1"), "count", n(0)));
    // The update reaches DynamoDB and is applied; its response is held back; the caller is
    // interrupted meanwhile.
    faults.inject("UpdateItem", Fault.delayResponse(Duration.ofSeconds(10)), 1);

    Outcome outcome =
        interruptAfter(
            Duration.ofMillis(500),
            () -> table(ConflictRetryPolicy.ofDefaults()).update(KEY, increment()));

    assertThat(outcome.thrown())
        .isInstanceOfSatisfying(
            WriteInterruptedException.class, e -> assertThat(e.mayHaveBeenApplied()).isTrue());
    assertThat(outcome.flagSet()).as("interrupt flag kept").isTrue();
    assertThat(stored()).containsEntry("count", n(1)); // it was applied: "may" was true
    assertThat(giveUps).isEmpty();
  }

  @Test
  void interruptDuringABackoff_nothingWritten_saysSo() {
    VersionedItem held =
        table(ConflictRetryPolicy.ofDefaults()).create(item("pk", s("sub#1"), "count", n(0)));
    table(ConflictRetryPolicy.ofDefaults()).update(KEY, increment()); // held is now stale
    VersionedTable interruptedWhilePausing =
        VersionedTable.builder()
            .client(client)
            .tableName(tableName)
            .partitionKey("pk")
            .listener(
                new WriteListener() {
                  @Override
                  public void onRetry(RetryScheduled event) {
                    Thread.currentThread().interrupt(); // on the writing thread, before the pause
                  }

                  @Override
                  public void onRetriesExhausted(RetriesExhausted event) {
                    giveUps.add(event);
                  }
                })
            .build();

    try {
      assertThatThrownBy(() -> interruptedWhilePausing.update(held, increment()))
          .isInstanceOfSatisfying(
              WriteInterruptedException.class, e -> assertThat(e.mayHaveBeenApplied()).isFalse())
          .hasMessageContaining("nothing was written");
      assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag kept").isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(stored()).containsEntry("count", n(1)).containsEntry("version", n(2));
    assertThat(giveUps).isEmpty();
  }
}
