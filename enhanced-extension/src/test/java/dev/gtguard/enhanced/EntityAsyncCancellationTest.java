package dev.gtguard.enhanced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.ReadConsistency;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import dev.gtguard.testkit.RequestCounter;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * Cancelling (or timing out) a {@link VersionedEntityAsyncTable} future reaches the core write: on
 * an executor that only queues steps, the test decides what has been sent when it cancels. Nothing
 * sent: cancelled, nothing written; an attempt sent: {@link OutcomeUnknownException}, never "not
 * written".
 */
@DynamoDbLocalTest
class EntityAsyncCancellationTest {
  private static final Key KEY = Key.builder().partitionValue("subscriber#4711").build();
  private static final RequestCounter asyncCount = new RequestCounter();
  private static DynamoDbAsyncClient asyncClient;

  private final ConcurrentLinkedQueue<Runnable> steps = new ConcurrentLinkedQueue<>();
  private VersionedEntityTable<Customer> blocking;
  private VersionedEntityAsyncTable<Customer> stepped;

  @BeforeAll
  static void startAsyncClient(LocalDynamoDb ddb) {
    asyncClient = VersionedEntityAsyncTableTest.asyncClient(ddb, asyncCount);
  }

  @AfterAll
  static void closeAsyncClient() {
    asyncClient.close();
  }

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    String tableName = ddb.createTable("customers", "id");
    GlobalTablesExtension blockingTables =
        GlobalTablesExtension.builder().client(ddb.client()).build();
    blocking =
        blockingTables.table(
            blockingTables.enhancedClient().table(tableName, TableSchema.fromBean(Customer.class)));
    GlobalTablesExtension asyncTables = GlobalTablesExtension.builder().client(asyncClient).build();
    stepped =
        asyncTables.table(
            asyncTables
                .enhancedAsyncClient()
                .table(tableName, TableSchema.fromBean(Customer.class)),
            options -> options.executor(steps::add));
    asyncCount.reset();
  }

  /** A customer at version 1, changed: saving it sends a read, then an update. */
  private Customer changed() {
    Customer read = blocking.create(new Customer("subscriber#4711", "12 Old Kent Road"));
    read.setDeliveryAddress("221B Baker Street");
    asyncCount.reset();
    return read;
  }

  private long storedVersion() {
    return blocking.get(KEY, ReadConsistency.STRONG).orElseThrow().getVersion();
  }

  /** Runs queued steps until {@code done}; the SDK's answers arrive as steps. */
  private void runUntil(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
      Runnable step = steps.poll();
      if (step == null) {
        Thread.sleep(5);
      } else {
        step.run();
      }
    }
  }

  /** Runs the save up to the moment its update has been sent, and no answer handled since. */
  private void sendTheUpdate() throws InterruptedException {
    runUntil(() -> asyncCount.count("UpdateItem") == 1);
  }

  @Test
  void cancel_beforeAnythingWasSent_isCancelled_andSendsNothing() throws Exception {
    Customer read = changed();

    CompletableFuture<Customer> future = stepped.save(read);
    assertThat(future.cancel(false)).isTrue();
    Runnable step;
    while ((step = steps.poll()) != null) {
      step.run();
    }

    assertThat(future).isCancelled();
    assertThat(asyncCount.total()).isZero();
    assertThat(storedVersion()).isEqualTo(1);
  }

  @Test
  void cancel_afterTheUpdateWasSent_reportsOutcomeUnknown_neverNotWritten() throws Exception {
    Customer read = changed();

    CompletableFuture<Customer> future = stepped.save(read);
    sendTheUpdate();
    assertThat(future.cancel(false)).isFalse();

    assertThat(future).isCompletedExceptionally().isNotCancelled();
    assertThatThrownBy(future::join)
        .cause()
        .isInstanceOf(OutcomeUnknownException.class)
        .hasCauseInstanceOf(CancellationException.class);
    // It was in flight, and did apply: "unknown" was the truthful answer.
    runUntil(() -> storedVersion() == 2);
  }

  @Test
  void timeout_afterTheUpdateWasSent_reportsOutcomeUnknown() throws Exception {
    Customer read = changed();

    CompletableFuture<Customer> future = stepped.updateItem(read);
    sendTheUpdate();
    future.orTimeout(1, TimeUnit.MILLISECONDS);

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(OutcomeUnknownException.class)
        .hasCauseInstanceOf(TimeoutException.class);
  }

  @Test
  void cancel_ofADeleteByKey_betweenItsReadAndItsWrite_deletesNothing() throws Exception {
    changed();

    CompletableFuture<Customer> future = stepped.deleteItem(KEY);
    assertThat(future.cancel(false)).isTrue(); // only the read is under way
    runUntil(() -> asyncCount.count("GetItem") == 1 && !steps.isEmpty());
    runUntil(steps::isEmpty); // the read's answer: the delete is not started

    assertThat(future).isCancelled();
    assertThat(asyncCount.count("DeleteItem")).isZero();
    assertThat(storedVersion()).isEqualTo(1);
  }
}
