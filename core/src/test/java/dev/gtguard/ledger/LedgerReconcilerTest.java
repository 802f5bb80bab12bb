package dev.gtguard.ledger;

import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.Changes;
import dev.gtguard.FailoverPolicy;
import dev.gtguard.HomeRegionStrategy;
import dev.gtguard.ItemKey;
import dev.gtguard.Items;
import dev.gtguard.LostWrite;
import dev.gtguard.ReadConsistency;
import dev.gtguard.RegionClients;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@LocalGlobalTableTest(
    regions = {"eu-west-1", "us-east-1"},
    lagMillis = 300)
class LedgerReconcilerTest {
  private static final String EU = "eu-west-1";
  private static final String US = "us-east-1";
  private static final ItemKey KEY = ItemKey.of("pk", "subscriber#4711");
  private static final Duration QUIET = Duration.ofSeconds(30);

  private LocalGlobalTable global;
  private WriteLedger ledger;
  private VersionedTable inEu;
  private VersionedTable inUs;

  @BeforeEach
  void setUp(LocalGlobalTable global) {
    this.global = global;
    String table = global.createTable("subscribers", "pk");
    ledger = WriteLedger.builder().tableName(global.createTable("ledger", "pk", "sk")).build();
    inEu = table(table, EU);
    inUs = table(table, US);
  }

  private VersionedTable table(String table, String region) {
    return VersionedTable.builder()
        .client(global.client(region))
        .tableName(table)
        .partitionKey("pk")
        .ledger(ledger)
        .build();
  }

  private Reconciler reconciler() {
    return reconciler(RepairMode.DRY_RUN);
  }

  private Reconciler reconciler(RepairMode mode) {
    return Reconciler.builder()
        .ledger(ledger)
        .ledgerClient(global.client(US))
        .table(inUs)
        .segments(3)
        .repair(mode)
        .build();
  }

  @Test
  void reconcile_londonCase_findsTheLostAddressChangeAndRepairsIt() throws Exception {
    inEu.create(
        item(
            "pk",
            s("subscriber#4711"),
            "delivery_address",
            s("old"),
            "last_contacted",
            s("never")));
    global.awaitQuiescence(QUIET);
    UpdateResult portal =
        inEu.update(KEY, i -> Changes.builder().set("delivery_address", "221B").build());
    Thread.sleep(49);
    inUs.update(KEY, i -> Changes.builder().set("last_contacted", "today").build());
    global.awaitQuiescence(QUIET);
    StringWriter json = new StringWriter();

    Reconciler.Report report = reconciler(RepairMode.APPLY).run(json);

    assertThat(report.items()).isEqualTo(1);
    assertThat(report.entries()).isEqualTo(3);
    assertThat(report.lost())
        .singleElement()
        .satisfies(
            lost -> {
              assertThat(lost.source()).isEqualTo(LostWrite.Source.LEDGER);
              assertThat(lost.writeToken()).isEqualTo(portal.item().writeToken().orElseThrow());
              assertThat(lost.region()).isEqualTo(EU);
              assertThat(lost.version()).isEqualTo(2);
              assertThat(lost.changes().set())
                  .containsExactlyEntriesOf(java.util.Map.of("delivery_address", s("221B")));
            });
    assertThat(json.toString().lines())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains("\"token\":\"" + portal.item().writeToken().orElseThrow() + "\"")
                    .contains("\"set\":{\"delivery_address\":{\"S\":\"221B\"}}")
                    .contains("\"repair\":\"APPLIED\""));
    global.awaitQuiescence(QUIET);
    VersionedItem repaired = inEu.get(KEY, ReadConsistency.STRONG).orElseThrow();
    assertThat(repaired.get("delivery_address")).isEqualTo(s("221B"));
    assertThat(repaired.get("last_contacted")).isEqualTo(s("today"));

    // The repair's ledger entry names the loss: once it survives, the loss is not reported again.
    Reconciler.Report again = reconciler().run();
    assertThat(again.lost()).isEmpty();
    assertThat(again.repaired()).isEqualTo(1);
  }

  @Test
  void reconcile_lostWriteRewrittenLater_isReportedWithNothingToReapply() throws Exception {
    inEu.create(
        item(
            "pk",
            s("subscriber#4711"),
            "delivery_address",
            s("old"),
            "last_contacted",
            s("never")));
    global.awaitQuiescence(QUIET);
    UpdateResult lostAddress =
        inEu.update(KEY, i -> Changes.builder().set("delivery_address", "A").build());
    Thread.sleep(49);
    inUs.update(
        KEY, i -> Changes.builder().set("last_contacted", "today").set("plan", "basic").build());
    global.awaitQuiescence(QUIET);
    inUs.update(KEY, i -> Changes.builder().set("delivery_address", "B").build());
    global.awaitQuiescence(QUIET);

    Reconciler.Report report = reconciler(RepairMode.APPLY).run();

    assertThat(report.lost())
        .singleElement()
        .satisfies(
            lost -> {
              assertThat(lost.writeToken())
                  .isEqualTo(lostAddress.item().writeToken().orElseThrow());
              assertThat(lost.superseded()).isTrue();
            });
    assertThat(report.repairs()).containsEntry(RepairOutcome.NOTHING_TO_APPLY, 1L);
    global.awaitQuiescence(QUIET);
    assertThat(inEu.get(KEY, ReadConsistency.STRONG).orElseThrow().get("delivery_address"))
        .isEqualTo(s("B"));
  }

  @Test
  void reconcile_failoverWrites_areFlaggedAndChecked() {
    DynamoDbClient deadHome =
        DynamoDbClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:9"))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("l", "l")))
            .build();
    VersionedTable failingOver =
        VersionedTable.builder()
            .clients(
                RegionClients.builder().local(EU, global.client(EU)).remote(US, deadHome).build())
            .tableName(inEu.tableName())
            .partitionKey("pk")
            .homeRegion(HomeRegionStrategy.fixed(US))
            .failoverPolicy(FailoverPolicy.WRITE_LOCALLY)
            .ledger(ledger)
            .build();

    failingOver.create(item("pk", s("subscriber#4711"), "count", n(0)));
    failingOver.update(KEY, Items.increment());
    global.awaitQuiescence(QUIET);
    Reconciler.Report report =
        Reconciler.builder()
            .ledger(ledger)
            .ledgerClient(global.client(EU))
            .table(inEu)
            .build()
            .run();

    assertThat(report.entries()).isEqualTo(2);
    assertThat(report.failoverEntries()).isEqualTo(2);
    assertThat(report.lost()).isEmpty();
  }

  @Test
  void reconcile_noConcurrentWrites_reportsNothing() {
    inEu.create(item("pk", s("subscriber#4711"), "count", n(0)));
    for (int i = 1; i <= 5; i++) {
      long next = i;
      inEu.update(KEY, c -> Changes.builder().set("count", next).build());
    }
    // An identical-value update still writes (a new version), and is history, not a loss.
    inEu.update(KEY, c -> Changes.builder().set("count", 5).build());
    global.awaitQuiescence(QUIET);
    inUs.update(KEY, c -> Changes.builder().set("count", 6).build());
    global.awaitQuiescence(QUIET);

    Reconciler.Report report = reconciler().run();

    assertThat(report.entries()).isEqualTo(8);
    assertThat(report.lost()).isEmpty();
  }

  @Test
  void reconcile_legacyAdoptedDeletedAndRecreated_reportsNothing() {
    global
        .client(EU)
        .putItem(
            r ->
                r.tableName(inEu.tableName())
                    .item(item("pk", s("subscriber#4711"), "count", n(7))));
    global.awaitQuiescence(QUIET);
    VersionedItem adopted = inEu.update(KEY, c -> Changes.builder().set("count", 8).build()).item();
    inEu.delete(KEY, adopted.expected());
    global.awaitQuiescence(QUIET);
    assertThat(reconciler().run().lost()).isEmpty();

    inUs.create(item("pk", s("subscriber#4711"), "count", n(0)));
    inUs.update(KEY, c -> Changes.builder().set("count", 1).build());
    global.awaitQuiescence(QUIET);

    Reconciler.Report report = reconciler().run();

    assertThat(report.entries()).isEqualTo(4);
    assertThat(report.lost()).isEmpty();
  }
}
