package dev.gtguard.ledger;

import static dev.gtguard.Items.item;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.ReadConsistency;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.testkit.Fault;
import dev.gtguard.testkit.FaultInjectingHttpClient;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The reconciler judges only consistent views and repairs only conditionally: it never reverts a
 * write made while it runs, never applies a forged entry, never lets one failed repair abort the
 * rest, and splits across processes. Each test reproduces a problem found in production trials.
 */
@LocalGlobalTableTest(
    regions = {"eu-west-1", "us-east-1"},
    lagMillis = 300)
class ReconcilerSafetyTest {
  private static final String EU = "eu-west-1";
  private static final String US = "us-east-1";
  private static final Duration QUIET = Duration.ofSeconds(30);
  private static final byte[] KEY_BYTES = "0123456789abcdef0123456789abcdef".getBytes();

  private LocalGlobalTable global;
  private String tableName;
  private String ledgerTable;

  @BeforeEach
  void setUp(LocalGlobalTable global) {
    this.global = global;
    tableName = global.createTable("subscribers", "pk");
    ledgerTable = global.createTable("ledger", "pk", "sk");
  }

  private WriteLedger ledger(boolean signed) {
    WriteLedger.Builder ledger = WriteLedger.builder().tableName(ledgerTable);
    return (signed ? ledger.integrityKey(KEY_BYTES) : ledger).build();
  }

  private VersionedTable table(DynamoDbClient client, WriteLedger ledger) {
    return VersionedTable.builder()
        .client(client)
        .tableName(tableName)
        .partitionKey("pk")
        .ledger(ledger)
        .build();
  }

  private Reconciler.Builder reconciler(VersionedTable table, WriteLedger ledger) {
    return Reconciler.builder()
        .ledger(ledger)
        .ledgerClient(global.client(US))
        .table(table)
        .settleTime(Duration.ofMillis(200));
  }

  /** The London case on {@code id}: the portal's address change (EU) is lost to US's write. */
  private String londonLoss(String id, WriteLedger ledger) throws InterruptedException {
    VersionedTable eu = table(global.client(EU), ledger);
    VersionedTable us = table(global.client(US), ledger);
    eu.create(item("pk", s(id), "delivery_address", s("old"), "last_contacted", s("never")));
    global.awaitQuiescence(QUIET);
    ItemKey key = ItemKey.of("pk", id);
    VersionedItem portal =
        eu.update(key, i -> Changes.builder().set("delivery_address", "221B").build()).item();
    Thread.sleep(49);
    us.update(key, i -> Changes.builder().set("last_contacted", "today").build());
    global.awaitQuiescence(QUIET);
    return portal.writeToken().orElseThrow();
  }

  private Map<String, AttributeValue> settled(String id) {
    global.awaitQuiescence(QUIET);
    return global
        .client(US)
        .getItem(r -> r.tableName(tableName).key(ItemKey.of("pk", id).asMap()).consistentRead(true))
        .item();
  }

  /** Runs {@code action} once, right after the first call of {@code operation} returned. */
  private static ExecutionInterceptor after(String operation, Runnable action) {
    AtomicBoolean done = new AtomicBoolean();
    return new ExecutionInterceptor() {
      @Override
      public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (operation.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
            && done.compareAndSet(false, true)) {
          action.run();
        }
      }
    };
  }

  @Test
  void customerWritesWhileTheReconcilerRuns_neverReverted() throws Exception {
    WriteLedger ledger = ledger(false);
    londonLoss("sub#1", ledger);
    VersionedTable customer = table(global.client(US), ledger);
    ItemKey key = ItemKey.of("pk", "sub#1");
    // Right after the reconciler queried the item's ledger entries, the customer moves house.
    DynamoDbClient ledgerReads =
        global.newClient(
            US,
            after(
                "Query",
                () ->
                    customer.update(
                        key,
                        i -> Changes.builder().set("delivery_address", "NEW-ADDRESS").build())));

    Reconciler.Report report =
        Reconciler.builder()
            .ledger(ledger)
            .ledgerClient(ledgerReads)
            .table(table(global.client(US), ledger))
            .settleTime(Duration.ofMillis(200))
            .repair(RepairMode.APPLY)
            .build()
            .run();

    assertThat(report.lostCount()).isEqualTo(1);
    assertThat(report.lost()).singleElement().satisfies(l -> assertThat(l.superseded()).isTrue());
    assertThat(report.repairs()).containsEntry(RepairOutcome.NOTHING_TO_APPLY, 1L);
    assertThat(settled("sub#1")).containsEntry("delivery_address", s("NEW-ADDRESS"));
  }

  @Test
  void customerWritesBetweenJudgementAndRepair_repairIsAConflictJudgedAgain_neverAnOverwrite()
      throws Exception {
    WriteLedger ledger = ledger(false);
    londonLoss("sub#1", ledger);
    VersionedTable customer = table(global.client(US), ledger);
    ItemKey key = ItemKey.of("pk", "sub#1");
    // Right after the reconciler read the item, the customer changes their email.
    VersionedTable judgedThenChanged =
        table(
            global.newClient(
                US,
                after(
                    "GetItem",
                    () ->
                        customer.update(
                            key, i -> Changes.builder().set("email", "new@example.com").build()))),
            ledger);

    Reconciler.Report report =
        reconciler(judgedThenChanged, ledger).repair(RepairMode.APPLY).build().run();

    assertThat(report.repairs()).containsEntry(RepairOutcome.APPLIED, 1L);
    assertThat(settled("sub#1"))
        .containsEntry("delivery_address", s("221B"))
        .containsEntry("email", s("new@example.com"))
        .containsEntry("last_contacted", s("today"));
  }

  @Test
  void forgedLedgerEntry_signedLedger_untrustedAndNeverApplied() throws Exception {
    WriteLedger ledger = ledger(true);
    VersionedTable us = table(global.client(US), ledger);
    VersionedItem created = us.create(item("pk", s("victim"), "role", s("user")));
    global.awaitQuiescence(QUIET);
    forge(created, "victim");

    Reconciler.Report report = reconciler(us, ledger).repair(RepairMode.APPLY).build().run();

    assertThat(report.lostCount()).isZero();
    assertThat(report.findings())
        .singleElement()
        .satisfies(f -> assertThat(f.kind()).isEqualTo(Finding.Kind.UNVERIFIED_ENTRY));
    assertThat(settled("victim")).containsEntry("role", s("user"));
  }

  @Test
  void forgedLedgerEntry_unsignedLedger_dryRunByDefault_reportedNotApplied() throws Exception {
    WriteLedger ledger = ledger(false);
    VersionedTable us = table(global.client(US), ledger);
    VersionedItem created = us.create(item("pk", s("victim"), "role", s("user")));
    us.update(created, i -> Changes.builder().set("plan", "pro").build());
    global.awaitQuiescence(QUIET);
    forge(created, "victim");

    Reconciler.Report report = reconciler(us, ledger).build().run();

    // Without a MAC the ledger cannot tell a forgery from a loss; the default run writes nothing.
    assertThat(report.repairs()).containsEntry(RepairOutcome.DRY_RUN, 1L);
    assertThat(settled("victim")).containsEntry("role", s("user"));
  }

  /** An entry put straight into the ledger: a sibling of the item's second state, off its path. */
  private void forge(VersionedItem created, String id) {
    Map<String, AttributeValue> entry =
        dev.gtguard.internal.ledger.LedgerEntries.entry(
            WriteLedger.builder().tableName(ledgerTable).build(),
            com.github.f4b6a3.ulid.UlidCreator.getMonotonicUlid().toString(),
            tableName,
            ItemKey.of("pk", id),
            "UPDATE",
            2,
            "forged-token",
            created.writeToken().orElseThrow(),
            US,
            Changes.builder().set("role", "admin").build(),
            false,
            null);
    global.client(US).putItem(r -> r.tableName(ledgerTable).item(entry));
    global.awaitQuiescence(QUIET);
  }

  @Test
  void oneRepairFailing_theRunGoesOn_everyOutcomeRecorded() throws Exception {
    WriteLedger ledger = ledger(false);
    for (String id : new String[] {"a", "b", "c"}) {
      londonLoss(id, ledger);
    }
    VersionedTable us = table(global.client(US), ledger);
    us.delete(
        ItemKey.of("pk", "a"),
        us.get(ItemKey.of("pk", "a"), ReadConsistency.STRONG).orElseThrow().expected());
    global.awaitQuiescence(QUIET);
    FaultInjectingHttpClient faults = new FaultInjectingHttpClient(Apache5HttpClient.create());
    faults.inject("TransactWriteItems", Fault.cancelTransaction("None", "ThrottlingError"), 1);
    VersionedTable throttledOnce = table(global.newClient(US, faults), ledger);

    Reconciler.Report report =
        reconciler(throttledOnce, ledger).repair(RepairMode.APPLY).parallelism(1).build().run();

    assertThat(report.items()).isEqualTo(3);
    assertThat(report.lostCount()).isEqualTo(3);
    assertThat(report.repairs())
        .containsEntry(RepairOutcome.ITEM_DELETED, 1L)
        .containsEntry(RepairOutcome.FAILED, 1L)
        .containsEntry(RepairOutcome.APPLIED, 1L);
    assertThat(report.failedItems()).isZero();
  }

  @Test
  void segmentsSplitAcrossProcesses_coverEveryItemOnce() throws Exception {
    WriteLedger ledger = ledger(false);
    Set<String> lostTokens = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      lostTokens.add(londonLoss("sub#" + i, ledger));
    }
    VersionedTable us = table(global.client(US), ledger);

    Reconciler.Report first = reconciler(us, ledger).segment(0, 2).build().run();
    Reconciler.Report second = reconciler(us, ledger).segment(1, 2).build().run();

    assertThat(first.items() + second.items()).isEqualTo(6);
    Set<String> found = new HashSet<>();
    first.lost().forEach(l -> found.add(l.writeToken()));
    second.lost().forEach(l -> found.add(l.writeToken()));
    assertThat(found).isEqualTo(lostTokens);
  }

  @Test
  void foreignWrites_boundariesNotLosses_andNothingRewritten() throws Exception {
    WriteLedger ledger = ledger(false);
    VersionedTable eu = table(global.client(EU), ledger);
    VersionedTable withoutLedger =
        VersionedTable.builder()
            .client(global.client(EU))
            .tableName(tableName)
            .partitionKey("pk")
            .build();
    // ttl: deleted by a TTL-style delete; recreated: TTL delete, then created again;
    // legacy: a whole-item put by code that does not use the library, then adopted;
    // noLedger: a library writer without the ledger in between.
    for (String id : new String[] {"ttl", "recreated", "legacy", "noLedger"}) {
      VersionedItem v1 = eu.create(item("pk", s(id), "email", s("first@example.com")));
      eu.update(v1, i -> Changes.builder().set("email", "second@example.com").build());
    }
    DynamoDbClient raw = global.client(EU);
    for (String id : new String[] {"ttl", "recreated"}) {
      raw.deleteItem(r -> r.tableName(tableName).key(ItemKey.of("pk", id).asMap()));
    }
    eu.create(item("pk", s("recreated"), "email", s("third@example.com")));
    raw.putItem(
        r ->
            r.tableName(tableName).item(item("pk", s("legacy"), "email", s("newest@example.com"))));
    eu.update(ItemKey.of("pk", "legacy"), i -> Changes.builder().set("plan", "pro").build());
    withoutLedger.update(
        ItemKey.of("pk", "noLedger"), i -> Changes.builder().set("email", "x@example.com").build());
    eu.update(ItemKey.of("pk", "noLedger"), i -> Changes.builder().set("plan", "pro").build());
    global.awaitQuiescence(QUIET);

    Reconciler.Report report =
        reconciler(table(global.client(US), ledger), ledger).repair(RepairMode.APPLY).build().run();

    assertThat(report.lostCount()).as("false alarms").isZero();
    assertThat(report.findings())
        .extracting(Finding::kind)
        .containsOnly(Finding.Kind.FOREIGN_BOUNDARY)
        .hasSize(4);
    assertThat(settled("legacy")).containsEntry("email", s("newest@example.com"));
    assertThat(settled("recreated")).containsEntry("email", s("third@example.com"));
  }

  @Test
  void report_keepsDynamoDbTypes_andCanBeReappliedFromTheFile() throws Exception {
    WriteLedger ledger = ledger(false);
    VersionedTable eu = table(global.client(EU), ledger);
    VersionedTable us = table(global.client(US), ledger);
    eu.create(item("pk", s("typed")));
    global.awaitQuiescence(QUIET);
    Map<String, AttributeValue> values =
        Map.of(
            "photo",
                AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromUtf8String("bin")),
            "tags", AttributeValue.fromSs(java.util.List.of("a", "b")),
            "price", AttributeValue.fromN("2.5"),
            "gone", AttributeValue.fromNul(true));
    ItemKey key = ItemKey.of("pk", "typed");
    eu.update(key, i -> Changes.between(Map.of(), values));
    Thread.sleep(49);
    us.update(key, i -> Changes.builder().set("last_contacted", "today").build());
    global.awaitQuiescence(QUIET);
    java.io.StringWriter file = new java.io.StringWriter();

    reconciler(us, ledger).build().run(file);

    LostWriteReport.Line line =
        LostWriteReport.read(new java.io.StringReader(file.toString())).findFirst().orElseThrow();
    assertThat(file.toString()).startsWith("{\"format\":\"gtguard.lost-write/2\"");
    assertThat(line.repair()).isEqualTo(RepairOutcome.DRY_RUN);
    LostWrite lost = line.lost();
    assertThat(lost.superseded()).isFalse();
    assertThat(lost.changes().set().get("photo").b().asUtf8String()).isEqualTo("bin");
    assertThat(lost.changes().set().get("tags").ss()).containsExactlyInAnyOrder("a", "b");
    // (2.5, not 1.50: the testkit's replicator cannot yet match 1.50 with the stream's 1.5.)
    assertThat(lost.changes().set().get("price").n()).isEqualTo("2.5");
    assertThat(lost.changes().set().get("gone").nul()).isTrue();

    us.repair(lost);

    assertThat(settled("typed"))
        .containsEntry("tags", values.get("tags"))
        .containsEntry("gone", values.get("gone"))
        .containsEntry("last_contacted", s("today"));
  }
}
