package dev.gtguard.faults;

import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.Changes;
import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.ItemKey;
import dev.gtguard.SameItemUpdates;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.VersionedTableBuilder;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.exception.RetriesExhaustedException;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.testkit.Concurrently;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.Fault;
import dev.gtguard.testkit.FaultInjectingHttpClient;
import dev.gtguard.testkit.LocalDynamoDb;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * 16 threads increment one counter through a client that loses responses after DynamoDB applied
 * them (and 500s after applying). Every increment also adds its own id to a set on the item, so the
 * truth needs no oracle: the counter must equal the number of ids, every increment reported
 * successful must be in the set, every one reported exhausted must not, and only those reported
 * unknown may be either. With combined updates each write carries several increments, and each
 * caller must still be answered from what happened to its own.
 */
@DynamoDbLocalTest
class CounterConservationUnderFaultsTest {
  private static final ItemKey KEY = ItemKey.of("pk", "counter");
  private static final int THREADS = 16;
  private static final int PER_THREAD = 10;

  @ParameterizedTest(name = "ledger={0} sameItemUpdates={1}")
  @CsvSource({
    "false,CONCURRENT",
    "true,CONCURRENT",
    "false,QUEUED",
    "true,QUEUED",
    "false,COMBINED",
    "true,COMBINED"
  })
  void sixteenThreads_droppedResponses_counterEqualsAppliedIncrements(
      boolean ledger, SameItemUpdates mode, LocalDynamoDb ddb) throws Exception {
    String tableName = ddb.createTable("conservation", "pk");
    FaultInjectingHttpClient faults = new FaultInjectingHttpClient(Apache5HttpClient.create());
    String write = ledger ? "TransactWriteItems" : "UpdateItem";
    faults.injectRandomly(write, Fault.dropResponse(), 0.15, 80, 42);
    faults.injectRandomly(write, Fault.serverErrorAfterApplying(), 0.05, 20, 43);
    try (DynamoDbClient client = ddb.newClient(Region.EU_WEST_1, faults)) {
      VersionedTableBuilder builder =
          VersionedTable.builder()
              .client(client)
              .tableName(tableName)
              .partitionKey("pk")
              .sameItemUpdates(mode)
              .retryPolicy(
                  ConflictRetryPolicy.builder()
                      .maxAttempts(100)
                      .baseDelay(Duration.ofMillis(2))
                      .maxDelay(Duration.ofMillis(50))
                      .build());
      if (ledger) {
        builder.ledger(
            WriteLedger.builder().tableName(ddb.createTable("ledger", "pk", "sk")).build());
      }
      VersionedTable table = builder.build();
      table.create(
          item("pk", s("counter"), "count", n(0), "ops", AttributeValue.fromSs(List.of("-"))));

      Set<String> succeeded = ConcurrentHashMap.newKeySet();
      Set<String> unknown = ConcurrentHashMap.newKeySet();
      Set<String> exhausted = ConcurrentHashMap.newKeySet();
      AtomicInteger ids = new AtomicInteger();
      Concurrently.repeat(
          THREADS,
          PER_THREAD,
          () -> {
            String op = "op" + ids.incrementAndGet();
            try {
              table.update(KEY, current -> increment(current, op));
              succeeded.add(op);
            } catch (OutcomeUnknownException e) {
              unknown.add(op);
            } catch (RetriesExhaustedException e) {
              exhausted.add(op);
            }
          });

      faults.clear();
      Map<String, AttributeValue> stored =
          ddb.client()
              .getItem(r -> r.tableName(tableName).key(KEY.asMap()).consistentRead(true))
              .item();
      Set<String> applied = new HashSet<>(stored.get("ops").ss());
      applied.remove("-");
      long count = Long.parseLong(stored.get("count").n());

      System.out.printf(
          "CONSERVATION ledger=%s faults=%d succeeded=%d unknown=%d exhausted=%d applied=%d"
              + " same_item_updates=%s%n",
          ledger,
          faults.injected(),
          succeeded.size(),
          unknown.size(),
          exhausted.size(),
          count,
          mode);
      assertThat(faults.injected()).as("faults injected").isGreaterThan(20);
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
      assertThat(succeeded.size() + unknown.size() + exhausted.size())
          .isEqualTo(THREADS * PER_THREAD);
      if (ledger) {
        assertThat(unknown).as("the ledger proves every outcome").isEmpty();
      }
    }
  }

  private static Changes increment(VersionedItem current, String op) {
    Set<String> ops = new HashSet<>(current.get("ops").ss());
    ops.add(op);
    return Changes.builder()
        .set("count", Long.parseLong(current.get("count").n()) + 1)
        .set("ops", AttributeValue.fromSs(List.copyOf(ops)))
        .build();
  }
}
