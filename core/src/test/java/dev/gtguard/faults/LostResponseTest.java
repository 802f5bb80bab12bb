package dev.gtguard.faults;

import static dev.gtguard.Items.count;
import static dev.gtguard.Items.increment;
import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.Changes;
import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.ItemKey;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.VersionedTableBuilder;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.Fault;
import dev.gtguard.testkit.FaultInjectingHttpClient;
import dev.gtguard.testkit.LocalDynamoDb;
import dev.gtguard.testkit.RequestCounter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Responses lost after DynamoDB applied the write, injected below the SDK's retries on a real
 * DynamoDB Local: every write reports its true outcome, and no function is applied twice. Each test
 * runs without and with the write ledger (whose writes are transactions).
 */
@DynamoDbLocalTest
class LostResponseTest {
  private static final ItemKey KEY = ItemKey.of("pk", "sub#1");

  private final FaultInjectingHttpClient faults =
      new FaultInjectingHttpClient(Apache5HttpClient.create());
  private final RequestCounter counter = new RequestCounter();
  private LocalDynamoDb ddb;
  private DynamoDbClient client;
  private DynamoDbClient raw;
  private String tableName;
  private String ledgerTable;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    this.ddb = ddb;
    raw = ddb.client();
    client = ddb.newClient(Region.EU_WEST_1, faults, counter);
    tableName = ddb.createTable("lost-responses", "pk");
    ledgerTable = ddb.createTable("ledger", "pk", "sk");
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private VersionedTable table(DynamoDbClient client, boolean ledger) {
    VersionedTableBuilder builder =
        VersionedTable.builder()
            .client(client)
            .tableName(tableName)
            .partitionKey("pk")
            .retryPolicy(
                ConflictRetryPolicy.builder()
                    .baseDelay(Duration.ofMillis(1))
                    .maxDelay(Duration.ofMillis(5))
                    .build());
    if (ledger) {
      builder.ledger(WriteLedger.builder().tableName(ledgerTable).build());
    }
    return builder.build();
  }

  /** The operation a table's writes use: plain, or a transaction with the ledger. */
  private static String write(String plain, boolean ledger) {
    return ledger ? "TransactWriteItems" : plain;
  }

  private Map<String, AttributeValue> stored() {
    return raw.getItem(r -> r.tableName(tableName).key(KEY.asMap()).consistentRead(true)).item();
  }

  private VersionedItem created(boolean ledger) {
    return table(raw, ledger).create(item("pk", s("sub#1"), "count", n(0)));
  }

  @ParameterizedTest(name = "ledger={0}")
  @ValueSource(booleans = {false, true})
  void update_responseLostAndAnotherWriterGotInBeforeTheSdkRetried_appliedOnce(boolean ledger) {
    created(ledger);
    VersionedTable other = table(raw, ledger);
    faults.inject(
        write("UpdateItem", ledger), Fault.dropResponse(), 1, () -> other.update(KEY, increment()));

    UpdateResult result = table(client, ledger).update(KEY, increment());

    // Ours (version 2) and the other writer's (version 3), each once.
    assertThat(stored()).containsEntry("count", n(2)).containsEntry("version", n(3));
    assertThat(result.item().version()).isEqualTo(2);
    assertThat(count(result.item())).isEqualTo(1);
    assertThat(result.item().writtenIn()).contains("eu-west-1");
    assertThat(result.attempts()).isEqualTo(1);
  }

  @ParameterizedTest(name = "ledger={0}")
  @ValueSource(booleans = {false, true})
  void update_everyResponseLost_resolvedFromTheItem_appliedOnce(boolean ledger) {
    created(ledger);
    faults.inject(write("UpdateItem", ledger), Fault.dropResponse(), 50);

    UpdateResult result = table(client, ledger).update(KEY, increment());

    faults.clear();
    assertThat(stored()).containsEntry("count", n(1)).containsEntry("version", n(2));
    assertThat(result.item().writeToken()).contains(stored().get("write_token").s());
  }

  @ParameterizedTest(name = "ledger={0}")
  @ValueSource(booleans = {false, true})
  void update_serverErrorAfterApplying_resolved_appliedOnce(boolean ledger) {
    created(ledger);
    faults.inject(write("UpdateItem", ledger), Fault.serverErrorAfterApplying(), 50);

    table(client, ledger).update(KEY, increment());

    assertThat(stored()).containsEntry("count", n(1));
  }

  @ParameterizedTest(name = "ledger={0}")
  @ValueSource(booleans = {false, true})
  void update_serverErrorBeforeApplying_resolvedNotApplied_sentAgain(boolean ledger) {
    created(ledger);
    // One SDK call's worth of 500s: the library reads the item, finds it untouched, sends again.
    faults.inject(write("UpdateItem", ledger), Fault.serverErrorBeforeApplying(), 9);

    UpdateResult result = table(client, ledger).update(KEY, increment());

    assertThat(result.attempts()).isEqualTo(2);
    assertThat(stored()).containsEntry("count", n(1)).containsEntry("version", n(2));
  }

  @ParameterizedTest(name = "ledger={0}")
  @ValueSource(booleans = {false, true})
  void update_responseLostAndTwoWritersBuiltOnIt(boolean ledger) {
    created(ledger);
    VersionedTable other = table(raw, ledger);
    AtomicInteger once = new AtomicInteger();
    faults.inject(
        write("UpdateItem", ledger),
        Fault.dropResponse(),
        50,
        () -> {
          if (once.getAndIncrement() == 0) {
            other.update(KEY, increment());
            other.update(KEY, increment());
          }
        });
    VersionedTable ours = table(client, ledger);

    if (ledger) {
      // The ledger entry proves it: applied, with the state it stored.
      UpdateResult result = ours.update(KEY, increment());
      assertThat(result.item().version()).isEqualTo(2);
      assertThat(count(result.item())).isEqualTo(1);
    } else {
      // Two later states hide it: the library says so, it does not retry on top of itself.
      assertThatThrownBy(() -> ours.update(KEY, increment()))
          .isInstanceOfSatisfying(
              OutcomeUnknownException.class,
              e -> {
                assertThat(e.writeTokens()).hasSize(1);
                assertThat(e.region()).contains("eu-west-1");
                assertThat(e.getMessage()).contains("may or may not have been applied");
              });
    }
    faults.clear();
    assertThat(stored()).containsEntry("count", n(3));
  }

  @ParameterizedTest(name = "ledger={0}")
  @ValueSource(booleans = {false, true})
  void create_responseLost_reportedCreatedNotAlreadyExists(boolean ledger) {
    faults.inject(write("PutItem", ledger), Fault.dropResponse(), 1);

    VersionedItem created = table(client, ledger).create(item("pk", s("sub#1"), "count", n(0)));

    assertThat(created.version()).isEqualTo(1);
    assertThat(stored().get("write_token").s()).isEqualTo(created.writeToken().orElseThrow());
  }

  @ParameterizedTest(name = "ledger={0}")
  @ValueSource(booleans = {false, true})
  void singleShotUpdate_responseLost_reportedStoredNotVersionConflict(boolean ledger) {
    VersionedItem v1 = created(ledger);
    faults.inject(write("UpdateItem", ledger), Fault.dropResponse(), 50);

    VersionedItem v2 =
        table(client, ledger).update(KEY, v1.expected(), Changes.builder().set("count", 7).build());

    faults.clear();
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.get("count")).isEqualTo(n(7));
    assertThat(stored()).containsEntry("count", n(7)).containsEntry("version", n(2));
  }

  @Test
  void delete_everyResponseLost_withoutLedger_outcomeUnknownNotItemNotFound() {
    VersionedItem v1 = created(false);
    faults.inject("DeleteItem", Fault.dropResponse(), 50);

    // The item is gone, but a delete leaves no token: ours, or someone else's? Not provable.
    assertThatThrownBy(() -> table(client, false).delete(KEY, v1.expected()))
        .isInstanceOf(OutcomeUnknownException.class);
    assertThat(stored()).isEmpty();
  }

  @Test
  void delete_everyResponseLost_withLedger_provenByTheLedgerEntry() {
    VersionedItem v1 = created(true);
    faults.inject("TransactWriteItems", Fault.dropResponse(), 50);

    table(client, true).delete(KEY, v1.expected());

    assertThat(stored()).isEmpty();
  }

  @ParameterizedTest(name = "ledger={0}")
  @ValueSource(booleans = {false, true})
  void delete_serverErrorBeforeApplying_sentAgain(boolean ledger) {
    VersionedItem v1 = created(ledger);
    faults.inject(write("DeleteItem", ledger), Fault.serverErrorBeforeApplying(), 9);

    table(client, ledger).delete(KEY, v1.expected());

    assertThat(stored()).isEmpty();
  }

  @Test
  void update_responseLostAndTheSdkDoesNotRetry_resolvedNotUnreachable() {
    created(false);
    try (DynamoDbClient noRetries = clientWithoutRetries()) {
      faults.inject("UpdateItem", Fault.dropResponse(), 1);

      UpdateResult result = table(noRetries, false).update(KEY, increment());

      assertThat(result.item().version()).isEqualTo(2);
      assertThat(stored()).containsEntry("count", n(1));
    }
  }

  @Test
  void update_responseHeldBackPastTheAttemptTimeout_resolved_appliedOnce() {
    created(false);
    try (DynamoDbClient timingOut = clientWithAttemptTimeout(Duration.ofMillis(300))) {
      faults.inject("UpdateItem", Fault.delayResponse(Duration.ofSeconds(2)), 1);

      UpdateResult result = table(timingOut, false).update(KEY, increment());

      assertThat(result.item().version()).isEqualTo(2);
      assertThat(stored()).containsEntry("count", n(1));
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
  }

  @Test
  void requestCounts_unchangedWithoutFaults() {
    VersionedItem held = created(false);
    counter.reset();

    table(client, false).update(held, increment());

    assertThat(counter.snapshot()).containsExactlyEntriesOf(Map.of("UpdateItem", 1L));
  }

  private DynamoDbClient clientWithoutRetries() {
    return builder().overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1))).build();
  }

  private DynamoDbClient clientWithAttemptTimeout(Duration timeout) {
    return builder().overrideConfiguration(o -> o.apiCallAttemptTimeout(timeout)).build();
  }

  /** A client over the same fault-injecting HTTP client, not closing it. */
  private software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder builder() {
    return DynamoDbClient.builder()
        .endpointOverride(ddb.endpoint())
        .region(Region.EU_WEST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(faults);
  }
}
