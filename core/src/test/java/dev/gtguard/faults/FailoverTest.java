package dev.gtguard.faults;

import static dev.gtguard.Items.increment;
import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.FailoverPolicy;
import dev.gtguard.HomeRegionStrategy;
import dev.gtguard.ItemKey;
import dev.gtguard.RegionClients;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedTable;
import dev.gtguard.exception.HomeRegionUnavailableException;
import dev.gtguard.exception.ItemNotFoundException;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.spi.FailoverWrite;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spi.WriteSucceeded;
import dev.gtguard.testkit.Fault;
import dev.gtguard.testkit.FaultInjectingHttpClient;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Failover happens only when the request provably never reached the home region, and is reported
 * only once the local write succeeded. A home that received the write and lost the answer is
 * resolved there, never written around. eu-west-1 is local; us-east-1, every item's home, is
 * reached through a fault-injecting HTTP client.
 */
@LocalGlobalTableTest(
    regions = {"eu-west-1", "us-east-1"},
    lagMillis = 50)
class FailoverTest {
  private static final String EU = "eu-west-1";
  private static final String US = "us-east-1";
  private static final ItemKey KEY = ItemKey.of("pk", "sub#1");
  private static final Duration QUIET = Duration.ofSeconds(20);

  private final FaultInjectingHttpClient faults =
      new FaultInjectingHttpClient(Apache5HttpClient.create());
  private final List<Object> events = new CopyOnWriteArrayList<>();
  private LocalGlobalTable global;
  private String tableName;

  @BeforeEach
  void setUp(LocalGlobalTable global) {
    this.global = global;
    tableName = global.createTable("failover", "pk");
  }

  private VersionedTable table(FailoverPolicy policy) {
    return VersionedTable.builder()
        .clients(
            RegionClients.builder()
                .local(EU, global.client(EU))
                .remote(US, global.newClient(US, faults))
                .build())
        .tableName(tableName)
        .partitionKey("pk")
        .homeRegion(HomeRegionStrategy.fixed(US))
        .failoverPolicy(policy)
        .retryPolicy(
            ConflictRetryPolicy.builder()
                .baseDelay(Duration.ofMillis(1))
                .maxDelay(Duration.ofMillis(5))
                .build())
        .listener(
            new WriteListener() {
              @Override
              public void onWriteSucceeded(WriteSucceeded event) {
                events.add(event);
              }

              @Override
              public void onFailover(FailoverWrite event) {
                events.add(event);
              }
            })
        .build();
  }

  private void createInHome() {
    table(FailoverPolicy.FAIL).create(item("pk", s("sub#1"), "count", n(0)));
    global.awaitQuiescence(QUIET);
    events.clear();
  }

  private Map<String, AttributeValue> settled(String region) {
    global.awaitQuiescence(QUIET);
    return global
        .client(region)
        .getItem(r -> r.tableName(tableName).key(KEY.asMap()).consistentRead(true))
        .item();
  }

  @Test
  void homeRefusesConnections_writeLocally_failsOverAndReportsItAfterTheLocalWrite() {
    createInHome();
    faults.inject("*", Fault.refuseConnection(), 10_000);

    UpdateResult result = table(FailoverPolicy.WRITE_LOCALLY).update(KEY, increment());

    assertThat(result.item().writtenIn()).contains(EU);
    assertThat(events).hasSize(2);
    assertThat(events.get(0))
        .isInstanceOfSatisfying(WriteSucceeded.class, e -> assertThat(e.region()).isEqualTo(EU));
    assertThat(events.get(1))
        .isInstanceOfSatisfying(
            FailoverWrite.class,
            e -> {
              assertThat(e.homeRegion()).isEqualTo(US);
              assertThat(e.writtenRegion()).isEqualTo(EU);
            });
    assertThat(settled(EU)).containsEntry("count", n(1));
  }

  @Test
  void homeRefusesConnections_failPolicy_unavailableAndNothingWritten() {
    createInHome();
    faults.inject("*", Fault.refuseConnection(), 10_000);

    assertThatThrownBy(() -> table(FailoverPolicy.FAIL).update(KEY, increment()))
        .isInstanceOfSatisfying(
            HomeRegionUnavailableException.class, e -> assertThat(e.region()).contains(US))
        .hasMessageContaining("nothing was written");

    assertThat(events).isEmpty();
    assertThat(settled(EU)).containsEntry("count", n(0));
    assertThat(settled(US)).containsEntry("count", n(0));
  }

  @Test
  void homeRefusesConnections_localWriteFails_noFailoverReported() {
    faults.inject("*", Fault.refuseConnection(), 10_000);

    assertThatThrownBy(() -> table(FailoverPolicy.WRITE_LOCALLY).update(KEY, increment()))
        .isInstanceOf(ItemNotFoundException.class);

    assertThat(events).isEmpty();
  }

  @Test
  void homeLosesTheResponse_writeLocally_resolvedInTheHome_noFailover_appliedOnce() {
    createInHome();
    faults.inject("UpdateItem", Fault.dropResponse(), 50);

    UpdateResult result = table(FailoverPolicy.WRITE_LOCALLY).update(KEY, increment());

    assertThat(result.item().writtenIn()).contains(US);
    assertThat(events).noneMatch(FailoverWrite.class::isInstance);
    assertThat(settled(EU)).containsEntry("count", n(1));
    assertThat(settled(US)).containsEntry("count", n(1));
  }

  @Test
  void homeAnswers500AfterApplying_failPolicy_resolvedNotUnavailable() {
    createInHome();
    faults.inject("UpdateItem", Fault.serverErrorAfterApplying(), 50);

    table(FailoverPolicy.FAIL).update(KEY, increment());

    assertThat(settled(US)).containsEntry("count", n(1));
  }

  @Test
  void homeBecomesUnreachableAfterReceivingTheWrite_outcomeUnknown_neverWrittenAround() {
    createInHome();
    // The write reaches the home and is applied; then the home stops answering, reads included.
    faults.inject(
        "UpdateItem",
        Fault.dropResponse(),
        50,
        () -> faults.inject("*", Fault.refuseConnection(), 10_000));

    assertThatThrownBy(() -> table(FailoverPolicy.WRITE_LOCALLY).update(KEY, increment()))
        .isInstanceOf(OutcomeUnknownException.class);

    assertThat(events).isEmpty();
    faults.clear();
    assertThat(settled(EU)).containsEntry("count", n(1));
    assertThat(settled(US)).containsEntry("count", n(1));
  }
}
