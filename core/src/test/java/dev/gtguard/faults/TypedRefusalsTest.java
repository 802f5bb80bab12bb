package dev.gtguard.faults;

import static dev.gtguard.Items.increment;
import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.Changes;
import dev.gtguard.ExpectedVersion;
import dev.gtguard.ItemKey;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.VersionedTableBuilder;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.InvalidItemException.Reason;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.Fault;
import dev.gtguard.testkit.FaultInjectingHttpClient;
import dev.gtguard.testkit.LocalDynamoDb;
import dev.gtguard.testkit.RequestCounter;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/**
 * Errors the README promises as typed are typed, for plain writes and transactions alike, and
 * nothing is written: version overflow, numbers DynamoDB would not store, DynamoDB's own
 * validation, a cancelled transaction's reasons, a ledger entry over 400 KB.
 */
@DynamoDbLocalTest
class TypedRefusalsTest {
  private static final ItemKey KEY = ItemKey.of("pk", "sub#1");

  private final FaultInjectingHttpClient faults =
      new FaultInjectingHttpClient(Apache5HttpClient.create());
  private final RequestCounter counter = new RequestCounter();
  private DynamoDbClient client;
  private DynamoDbClient raw;
  private String tableName;
  private String ledgerTable;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    raw = ddb.client();
    client = ddb.newClient(Region.EU_WEST_1, faults, counter);
    tableName = ddb.createTable("refusals", "pk");
    ledgerTable = ddb.createTable("ledger", "pk", "sk");
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private VersionedTable table(boolean ledger) {
    VersionedTableBuilder builder =
        VersionedTable.builder().client(client).tableName(tableName).partitionKey("pk");
    if (ledger) {
      builder.ledger(WriteLedger.builder().tableName(ledgerTable).build());
    }
    return builder.build();
  }

  private Map<String, AttributeValue> stored() {
    return raw.getItem(r -> r.tableName(tableName).key(KEY.asMap()).consistentRead(true)).item();
  }

  private int ledgerEntries() {
    return raw.scan(r -> r.tableName(ledgerTable).consistentRead(true)).count();
  }

  private long writes() {
    return counter.count("PutItem")
        + counter.count("UpdateItem")
        + counter.count("DeleteItem")
        + counter.count("TransactWriteItems");
  }

  private void assertRefused(ThrowingCallable write, Reason reason, boolean sent) {
    long before = writes();
    assertThatThrownBy(write)
        .isInstanceOfSatisfying(
            InvalidItemException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.getMessage()).contains(tableName);
            });
    if (!sent) {
      assertThat(writes()).as("write requests sent").isEqualTo(before);
    }
  }

  @Test
  void versionAtLongMaxValue_refusedBeforeWriting() {
    String max = Long.toString(Long.MAX_VALUE);
    raw.putItem(
        r ->
            r.tableName(tableName)
                .item(
                    item(
                        "pk",
                        s("sub#1"),
                        "count",
                        n(0),
                        "version",
                        AttributeValue.fromN(max),
                        "write_token",
                        s("t"))));

    assertRefused(() -> table(false).update(KEY, increment()), Reason.VERSION_OVERFLOW, false);
    assertRefused(
        () ->
            table(true)
                .update(
                    KEY,
                    ExpectedVersion.of(Long.MAX_VALUE, "t"),
                    Changes.builder().set("count", 1).build()),
        Reason.VERSION_OVERFLOW,
        false);
    assertThat(stored()).containsEntry("version", AttributeValue.fromN(max));
    assertThat(table(false).get(KEY).orElseThrow().version()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void numbersDynamoDbWouldNotStore_refusedBeforeAnythingParsesThem() {
    AttributeValue huge = AttributeValue.fromN("1E+999999999");
    assertRefused(
        () -> table(true).create(item("pk", huge, "count", n(0))), Reason.INVALID_NUMBER, false);
    assertRefused(
        () -> table(true).update(ItemKey.of("pk", huge), increment()),
        Reason.INVALID_NUMBER,
        false);
    assertRefused(
        () -> table(false).create(item("pk", s("sub#1"), "count", AttributeValue.fromN("NaN"))),
        Reason.INVALID_NUMBER,
        false);
    table(false).create(item("pk", s("sub#1"), "count", n(0)));
    assertRefused(
        () ->
            table(false)
                .update(
                    KEY,
                    c ->
                        Changes.builder()
                            .set(
                                "sizes",
                                AttributeValue.fromL(List.of(AttributeValue.fromN("12abc"))))
                            .build()),
        Reason.INVALID_NUMBER,
        false);
    assertThat(stored()).doesNotContainKey("sizes");
    assertThat(ledgerEntries()).isZero();
  }

  @Test
  void dynamoDbValidationError_typedWithTheServersReason_plainAndTransaction() {
    table(false).create(item("pk", s("sub#1"), "count", n(0)));
    for (boolean ledger : List.of(false, true)) {
      assertThatThrownBy(
              () ->
                  table(ledger)
                      .update(
                          KEY,
                          c ->
                              Changes.builder()
                                  .set("tags", AttributeValue.fromSs(List.of()))
                                  .build()))
          .isInstanceOfSatisfying(
              InvalidItemException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.INVALID_REQUEST);
                assertThat(e.getMessage()).containsIgnoringCase("empty");
              });
    }
    assertThat(stored()).containsEntry("version", n(1)).doesNotContainKey("tags");
    assertThat(ledgerEntries()).isZero();
  }

  @Test
  void itemOver400KbKnownOnlyToDynamoDb_transaction_typedAsItemTooLarge() {
    String kb300 = "x".repeat(300 * 1024);
    table(true).create(item("pk", s("sub#1"), "a", s(kb300)));
    VersionedItem current = table(true).get(KEY).orElseThrow();

    assertRefused(
        () ->
            table(true).update(KEY, current.expected(), Changes.builder().set("b", kb300).build()),
        Reason.ITEM_TOO_LARGE,
        true);
    assertThat(stored()).doesNotContainKey("b");
    assertThat(ledgerEntries()).isEqualTo(1);
  }

  @Test
  void ledgerEntryOver400Kb_itsOwnReason_nothingWritten() {
    table(true).create(item("pk", s("sub#1")));
    // The item stays under 400 KB with its bookkeeping; its ledger entry, which records the new
    // value together with the key, the table and the tokens, does not.
    String value = "x".repeat(400 * 1024 - 120);

    assertRefused(
        () -> table(true).update(KEY, c -> Changes.builder().set("a", value).build()),
        Reason.LEDGER_ENTRY_TOO_LARGE,
        false);
    assertThat(stored()).doesNotContainKey("a");
    assertThat(ledgerEntries()).isEqualTo(1);
  }

  @Test
  void transactionCancelledForThrottling_propagatesAsThrottling_nothingWritten() {
    table(true).create(item("pk", s("sub#1"), "count", n(0)));
    faults.inject("TransactWriteItems", Fault.cancelTransaction("None", "ThrottlingError"), 1);

    assertThatThrownBy(() -> table(true).update(KEY, increment()))
        .isInstanceOf(ProvisionedThroughputExceededException.class);
    assertThat(stored()).containsEntry("count", n(0));
    assertThat(ledgerEntries()).isEqualTo(1);
  }

  @Test
  void transactionCancelledByAConflict_retriedLikeOne() {
    table(true).create(item("pk", s("sub#1"), "count", n(0)));
    faults.inject("TransactWriteItems", Fault.cancelTransaction("TransactionConflict", "None"), 1);

    UpdateResult result = table(true).update(KEY, increment());

    assertThat(result.attempts()).isEqualTo(2);
    assertThat(stored()).containsEntry("count", n(1));
    assertThat(ledgerEntries()).isEqualTo(2);
  }

  @Test
  void singleShotUpdateWithLedger_returnsTheStateItWrote_notALaterOne() {
    VersionedItem v1 = table(true).create(item("pk", s("sub#1"), "count", n(0)));
    // Another writer, and then a delete, get in right after our transaction, before anything
    // could read the item back.
    faults.inject(
        "TransactWriteItems",
        Fault.dropResponse(),
        1,
        () -> {
          VersionedTable other =
              VersionedTable.builder().client(raw).tableName(tableName).partitionKey("pk").build();
          VersionedItem v2 = other.update(KEY, increment()).item();
          other.delete(KEY, v2.expected());
        });

    VersionedItem written =
        table(true).update(KEY, v1.expected(), Changes.builder().set("count", 7).build());

    assertThat(written.version()).isEqualTo(2);
    assertThat(written.get("count")).isEqualTo(n(7));
    assertThat(written.writtenIn()).contains("eu-west-1");
    assertThat(stored()).isEmpty();
  }
}
