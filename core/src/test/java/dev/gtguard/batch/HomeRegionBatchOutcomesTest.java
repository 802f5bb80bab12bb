package dev.gtguard.batch;

import static dev.gtguard.Items.increment;
import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.ItemKey;
import dev.gtguard.VersionedTable;
import dev.gtguard.exception.ItemNotFoundException;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.exception.WriteInterruptedException;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.Fault;
import dev.gtguard.testkit.FaultInjectingHttpClient;
import dev.gtguard.testkit.LocalDynamoDb;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How a batch counts each item by what happened to its write, on a real DynamoDB Local: a failing
 * callback does not turn a committed write into a failure, and a write of unknown outcome is not a
 * failure that is safe to run again.
 */
@DynamoDbLocalTest
class HomeRegionBatchOutcomesTest {
  private final FaultInjectingHttpClient faults =
      new FaultInjectingHttpClient(Apache5HttpClient.create());
  private LocalDynamoDb ddb;
  private DynamoDbClient faulty;
  private String tableName;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    this.ddb = ddb;
    faulty = ddb.newClient(Region.EU_WEST_1, faults);
    tableName = ddb.createTable("batch-outcomes", "pk");
  }

  @AfterEach
  void tearDown() {
    faulty.close();
  }

  private VersionedTable table(DynamoDbClient client) {
    return VersionedTable.builder()
        .client(client)
        .tableName(tableName)
        .partitionKey("pk")
        .retryPolicy(
            ConflictRetryPolicy.builder()
                .baseDelay(Duration.ofMillis(1))
                .maxDelay(Duration.ofMillis(5))
                .build())
        .build();
  }

  private Map<String, AttributeValue> stored(String pk) {
    return ddb.client()
        .getItem(r -> r.tableName(tableName).key(Map.of("pk", s(pk))).consistentRead(true))
        .item();
  }

  private static String pk(int i) {
    return "sub#" + i;
  }

  @Test
  void runKeys_callbackThrowsForSomeItems_countedDoneAndCallbackFailedNeverFailed() {
    VersionedTable subscribers = table(ddb.client());
    for (int i = 0; i < 6; i++) {
      subscribers.create(item("pk", s(pk(i)), "count", n(0)));
    }
    Set<String> callbackBreaksOn = Set.of(pk(1), pk(3), pk(5));
    List<HomeRegionBatch.Progress> progress = new CopyOnWriteArrayList<>();

    BatchSummary summary =
        HomeRegionBatch.builder()
            .table(subscribers)
            .concurrencyPerRegion(2)
            .progress(progress::add, 1)
            .onItemDone(
                result -> {
                  String pk = result.item().get("pk").s();
                  if (pk.equals(pk(5))) {
                    throw new AssertionError("bug in the report writer");
                  }
                  if (callbackBreaksOn.contains(pk)) {
                    throw new IllegalStateException("report file closed");
                  }
                })
            .build()
            .runKeys(IntStream.range(0, 6).mapToObj(i -> ItemKey.of("pk", pk(i))), increment());

    assertThat(summary.done()).isEqualTo(6);
    assertThat(summary.callbackFailed()).isEqualTo(3);
    assertThat(summary.failed()).isZero();
    assertThat(summary.unknown()).isZero();
    BatchSummary.RegionSummary region = summary.regions().get("eu-west-1");
    assertThat(region.failures()).isEmpty();
    assertThat(region.callbackFailures())
        .extracting(e -> (Object) e.getClass())
        .containsExactlyInAnyOrder(
            IllegalStateException.class, IllegalStateException.class, AssertionError.class);
    assertThat(progress).last().isEqualTo(new HomeRegionBatch.Progress(6, 6, 0, 3, 0));
    // Every update applied exactly once, the ones whose callback broke included.
    for (int i = 0; i < 6; i++) {
      assertThat(stored(pk(i)))
          .as(pk(i))
          .containsEntry("count", n(1))
          .containsEntry("version", n(2));
    }
  }

  @Test
  void runKeys_responseLostAndTwoWritersBuiltOnIt_countedUnknownNotFailed() {
    VersionedTable direct = table(ddb.client());
    direct.create(item("pk", s(pk(1)), "count", n(0)));
    direct.create(item("pk", s(pk(2)), "count", n(0)));
    // sub#1's update is applied, every response to it lost, and another writer builds two versions
    // on it before the library can look: it cannot tell whether its write was applied. The rule
    // outlives sub#1; sub#2's lost responses are resolved from its item (its own token is there).
    AtomicInteger once = new AtomicInteger();
    faults.inject(
        "UpdateItem",
        Fault.dropResponse(),
        50,
        () -> {
          if (once.getAndIncrement() == 0) {
            direct.update(ItemKey.of("pk", pk(1)), increment());
            direct.update(ItemKey.of("pk", pk(1)), increment());
          }
        });

    BatchSummary summary =
        HomeRegionBatch.builder()
            .table(table(faulty))
            .concurrencyPerRegion(1) // sub#1 first, so it meets the other writer
            .build()
            .runKeys(Stream.of(ItemKey.of("pk", pk(1)), ItemKey.of("pk", pk(2))), increment());

    faults.clear();
    assertThat(summary.unknown()).isEqualTo(1);
    assertThat(summary.failed()).isZero();
    assertThat(summary.done()).isEqualTo(1);
    BatchSummary.RegionSummary region = summary.regions().get("eu-west-1");
    assertThat(region.failures()).isEmpty();
    assertThat(region.unknownOutcomes())
        .singleElement()
        .isInstanceOfSatisfying(
            OutcomeUnknownException.class,
            e -> {
              assertThat(e.key()).isEqualTo(ItemKey.of("pk", pk(1)));
              assertThat(e.writeTokens()).hasSize(1);
            });
    // It was in fact applied (1 + the other writer's 2): running it again as a "failure" would
    // have applied it twice.
    assertThat(stored(pk(1))).containsEntry("count", n(3));
    assertThat(stored(pk(2))).containsEntry("count", n(1));
  }

  @Test
  void runKeys_interruptedWhileTheWriteWasInFlight_countedUnknownNotFailed() {
    VersionedTable direct = table(ddb.client());
    direct.create(item("pk", s(pk(1)), "count", n(0)));
    direct.create(item("pk", s(pk(2)), "count", n(0)));
    // sub#1's update reaches DynamoDB; its response is held back and the worker is interrupted
    // while it waits, so the library cannot know whether it was applied.
    faults.inject(
        "UpdateItem",
        Fault.delayResponse(Duration.ofMinutes(1)),
        1,
        () -> Thread.currentThread().interrupt());

    BatchSummary summary =
        HomeRegionBatch.builder()
            .table(table(faulty))
            .concurrencyPerRegion(1)
            .build()
            .runKeys(Stream.of(ItemKey.of("pk", pk(1)), ItemKey.of("pk", pk(2))), increment());

    assertThat(summary.unknown()).isEqualTo(1);
    assertThat(summary.failed()).isZero();
    assertThat(summary.done()).isEqualTo(1);
    assertThat(summary.regions().get("eu-west-1").unknownOutcomes())
        .singleElement()
        .isInstanceOfSatisfying(
            WriteInterruptedException.class, e -> assertThat(e.mayHaveBeenApplied()).isTrue());
    assertThat(stored(pk(1))).containsEntry("count", n(1)); // "may have been" was right
    assertThat(stored(pk(2))).containsEntry("count", n(1));
  }

  @Test
  void runKeys_missingItem_countedFailedWithItsException() {
    VersionedTable subscribers = table(ddb.client());
    subscribers.create(item("pk", s(pk(1)), "count", n(0)));

    BatchSummary summary =
        HomeRegionBatch.builder()
            .table(subscribers)
            .onItemDone(result -> {})
            .build()
            .runKeys(Stream.of(ItemKey.of("pk", pk(1)), ItemKey.of("pk", "missing")), increment());

    assertThat(summary.done()).isEqualTo(1);
    assertThat(summary.failed()).isEqualTo(1);
    assertThat(summary.callbackFailed()).isZero();
    assertThat(summary.unknown()).isZero();
    assertThat(summary.regions().get("eu-west-1").failures())
        .singleElement()
        .isInstanceOf(ItemNotFoundException.class);
  }
}
