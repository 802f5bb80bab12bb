package dev.gtguard.async;

import static dev.gtguard.Items.count;
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
import dev.gtguard.ItemKey;
import dev.gtguard.SameItemUpdates;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.VersionedTableBuilder;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.exception.RetriesExhaustedException;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.Fault;
import dev.gtguard.testkit.FaultInjectingAsyncHttpClient;
import dev.gtguard.testkit.LocalDynamoDb;
import dev.gtguard.testkit.RequestCounter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/**
 * The blocking table's fault cases on the asynchronous table, injected below the SDK's retries
 * ({@link FaultInjectingAsyncHttpClient}) on a real DynamoDB Local: lost responses are resolved
 * from the item or the ledger and never applied twice, throttling surfaces as throttling with
 * nothing written, and 64 concurrent increments on one item from two threads conserve every applied
 * increment. Item state is read back in every case.
 */
@DynamoDbLocalTest
class AsyncFaultsTest {
  private static final ItemKey KEY = ItemKey.of("pk", "sub#1");

  private final FaultInjectingAsyncHttpClient faults = new FaultInjectingAsyncHttpClient();
  private final RequestCounter counter = new RequestCounter();
  private DynamoDbAsyncClient client;
  private DynamoDbClient raw;
  private ExecutorService user;
  private ScheduledExecutorService scheduler;
  private String tableName;
  private String ledgerTable;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    raw = ddb.client();
    client = ddb.newAsyncClient(Region.EU_WEST_1, faults, counter);
    tableName = ddb.createTable("async-faults", "pk");
    ledgerTable = ddb.createTable("ledger", "pk", "sk");
    user = Executors.newFixedThreadPool(2);
    scheduler = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void tearDown() {
    client.close();
    user.shutdownNow();
    scheduler.shutdownNow();
  }

  private AsyncVersionedTable table(boolean ledger, int maxAttempts) {
    return table(ledger, maxAttempts, SameItemUpdates.QUEUED); // the default
  }

  private AsyncVersionedTable table(boolean ledger, int maxAttempts, SameItemUpdates mode) {
    AsyncVersionedTableBuilder builder =
        AsyncVersionedTable.builder()
            .sameItemUpdates(mode)
            .client(client)
            .tableName(tableName)
            .partitionKey("pk")
            .executor(user)
            .scheduler(scheduler)
            .retryPolicy(
                ConflictRetryPolicy.builder()
                    .maxAttempts(maxAttempts)
                    .baseDelay(Duration.ofMillis(2))
                    .maxDelay(Duration.ofMillis(50))
                    .build());
    if (ledger) {
      builder.ledger(WriteLedger.builder().tableName(ledgerTable).build());
    }
    return builder.build();
  }

  private VersionedTable blocking(boolean ledger) {
    VersionedTableBuilder builder =
        VersionedTable.builder().client(raw).tableName(tableName).partitionKey("pk");
    if (ledger) {
      builder.ledger(WriteLedger.builder().tableName(ledgerTable).build());
    }
    return builder.build();
  }

  private static String write(String plain, boolean ledger) {
    return ledger ? "TransactWriteItems" : plain;
  }

  private Map<String, AttributeValue> stored() {
    return raw.getItem(r -> r.tableName(tableName).key(KEY.asMap()).consistentRead(true)).item();
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(30, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "ledger={0}")
  @ValueSource(booleans = {false, true})
  void update_responseLostAndAnotherWriterGotInBeforeTheSdkRetried_appliedOnce(boolean ledger)
      throws Exception {
    blocking(ledger).create(item("pk", s("sub#1"), "count", n(0)));
    VersionedTable other = blocking(ledger);
    faults.inject(
        write("UpdateItem", ledger), Fault.dropResponse(), 1, () -> other.update(KEY, increment()));

    UpdateResult result = await(table(ledger, 10).update(KEY, increment()));

    // Ours (version 2) and the other writer's (version 3), each once.
    assertThat(stored()).containsEntry("count", n(2)).containsEntry("version", n(3));
    assertThat(result.item().version()).isEqualTo(2);
    assertThat(count(result.item())).isEqualTo(1);
    assertThat(result.attempts()).isEqualTo(1);
  }

  @ParameterizedTest(name = "ledger={0}")
  @ValueSource(booleans = {false, true})
  void update_everyResponseLost_resolvedFromTheItem_appliedOnce(boolean ledger) throws Exception {
    blocking(ledger).create(item("pk", s("sub#1"), "count", n(0)));
    faults.inject(write("UpdateItem", ledger), Fault.dropResponse(), 50);

    UpdateResult result = await(table(ledger, 10).update(KEY, increment()));

    assertThat(stored()).containsEntry("count", n(1)).containsEntry("version", n(2));
    assertThat(result.item().writeToken()).contains(stored().get("write_token").s());
  }

  @ParameterizedTest(name = "ledger={0}")
  @ValueSource(booleans = {false, true})
  void create_responseLost_reportedCreatedNotAlreadyExists(boolean ledger) throws Exception {
    faults.inject(write("PutItem", ledger), Fault.dropResponse(), 50);

    VersionedItem created = await(table(ledger, 10).create(item("pk", s("sub#1"), "count", n(0))));

    assertThat(created.version()).isEqualTo(1);
    assertThat(stored()).containsEntry("version", n(1));
  }

  @Test
  void delete_everyResponseLost_withoutLedger_outcomeUnknownNotItemNotFound() throws Exception {
    VersionedItem v1 = blocking(false).create(item("pk", s("sub#1"), "count", n(0)));
    faults.inject("DeleteItem", Fault.dropResponse(), 50);

    assertThatThrownBy(() -> await(table(false, 10).delete(KEY, v1.expected())))
        .cause()
        .isInstanceOf(OutcomeUnknownException.class);
    assertThat(stored()).isEmpty();
  }

  @Test
  void delete_everyResponseLost_withLedger_provenByTheLedgerEntry() throws Exception {
    VersionedItem v1 = blocking(true).create(item("pk", s("sub#1"), "count", n(0)));
    faults.inject("TransactWriteItems", Fault.dropResponse(), 50);

    assertThat(await(table(true, 10).delete(KEY, v1.expected()))).isNull();
    assertThat(stored()).isEmpty();
  }

  @Test
  void throttled_update_propagatesAsThrottling_nothingWritten() throws Exception {
    blocking(false).create(item("pk", s("sub#1"), "count", n(0)));
    faults.inject("UpdateItem", Fault.throttle(), 1_000);

    assertThatThrownBy(() -> await(table(false, 10).update(KEY, increment())))
        .cause()
        .isInstanceOf(ProvisionedThroughputExceededException.class);
    assertThat(stored()).containsEntry("count", n(0)).containsEntry("version", n(1));
  }

  @Test
  void transactionCancelledForThrottling_propagatesAsThrottling_nothingWritten() throws Exception {
    blocking(true).create(item("pk", s("sub#1"), "count", n(0)));
    faults.inject("TransactWriteItems", Fault.cancelTransaction("None", "ThrottlingError"), 1);

    assertThatThrownBy(() -> await(table(true, 10).update(KEY, increment())))
        .cause()
        .isInstanceOf(ProvisionedThroughputExceededException.class);
    assertThat(stored()).containsEntry("count", n(0));
  }

  /**
   * 64 futures in flight on one item from a pool of two threads, each chaining two increments; the
   * first 30 writes lose their response after applying and 8 more answer 500 after applying. Every
   * increment records its id on the item, so the truth needs no oracle.
   */
  @ParameterizedTest(name = "ledger={0} sameItemUpdates={1}")
  @CsvSource({
    "false,CONCURRENT",
    "true,CONCURRENT",
    "false,QUEUED",
    "true,QUEUED",
    "false,COMBINED",
    "true,COMBINED"
  })
  void sixtyFourFuturesOnTwoThreads_lostResponses_counterEqualsAppliedIncrements(
      boolean ledger, SameItemUpdates mode) throws Exception {
    blocking(ledger)
        .create(item("pk", s("sub#1"), "count", n(0), "ops", AttributeValue.fromSs(List.of("-"))));
    String write = write("UpdateItem", ledger);
    faults.inject(write, Fault.dropResponse(), 30);
    faults.inject(write, Fault.serverErrorAfterApplying(), 8);
    AsyncVersionedTable table = table(ledger, 1_000, mode);
    Set<String> succeeded = ConcurrentHashMap.newKeySet();
    Set<String> unknown = ConcurrentHashMap.newKeySet();
    Set<String> exhausted = ConcurrentHashMap.newKeySet();
    AtomicInteger ids = new AtomicInteger();
    List<Throwable> other = new CopyOnWriteArrayList<>();

    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (int w = 0; w < 64; w++) {
      CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
      for (int i = 0; i < 2; i++) {
        chain =
            chain.thenCompose(
                done -> {
                  String op = "op" + ids.incrementAndGet();
                  // handle() on the table's own future sees its exception itself, not wrapped.
                  return table
                      .update(KEY, current -> recorded(current, op))
                      .handle(
                          (result, error) -> {
                            if (error == null) {
                              succeeded.add(op);
                            } else if (error instanceof OutcomeUnknownException) {
                              unknown.add(op);
                            } else if (error instanceof RetriesExhaustedException) {
                              exhausted.add(op);
                            } else {
                              other.add(error);
                            }
                            return null;
                          });
                });
      }
      writers.add(chain);
    }
    CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

    Map<String, AttributeValue> item = stored();
    Set<String> applied = new HashSet<>(item.get("ops").ss());
    applied.remove("-");
    long count = Long.parseLong(item.get("count").n());
    System.out.printf(
        "ASYNC-CONSERVATION ledger=%s faults=%d succeeded=%d unknown=%d exhausted=%d applied=%d"
            + " same_item_updates=%s%n",
        ledger, faults.injected(), succeeded.size(), unknown.size(), exhausted.size(), count, mode);
    assertThat(other).as("no other outcome").isEmpty();
    if (mode == SameItemUpdates.COMBINED) {
      // Combined, all 128 increments take fewer writes than there are faults: each is faulted.
      assertThat(faults.injected()).as("faults injected").isBetween(20, 38);
    } else {
      assertThat(faults.injected()).as("faults injected").isEqualTo(38);
    }
    assertThat(succeeded.size() + unknown.size() + exhausted.size()).isEqualTo(64 * 2);
    assertThat(count).as("counter = applied increments").isEqualTo(applied.size());
    assertThat(applied).as("every success applied, once").containsAll(succeeded);
    assertThat(exhausted)
        .as("nothing applied that was reported not written")
        .noneMatch(applied::contains);
    Set<String> appliedUnreported = new HashSet<>(applied);
    appliedUnreported.removeAll(succeeded);
    assertThat(unknown)
        .as("only unknown outcomes may have applied unreported")
        .containsAll(appliedUnreported);
    if (ledger) {
      assertThat(unknown).as("the ledger proves every outcome").isEmpty();
    }
  }

  private static Changes recorded(VersionedItem current, String op) {
    Set<String> ops = new HashSet<>(current.get("ops").ss());
    ops.add(op);
    return Changes.builder()
        .set("count", Long.parseLong(current.get("count").n()) + 1)
        .set("ops", AttributeValue.fromSs(List.copyOf(ops)))
        .build();
  }
}
