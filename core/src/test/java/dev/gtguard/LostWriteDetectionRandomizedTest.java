package dev.gtguard;

import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.detect.StreamDetector;
import dev.gtguard.detect.StreamLostWritePoller;
import dev.gtguard.detect.StreamReconciler;
import dev.gtguard.ledger.Reconciler;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.testkit.Concurrently;
import dev.gtguard.testkit.Lag;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Over two thousand versioned writes from three regions with random lag (50 ms - 2 s), clock skew
 * up to 500 ms and a replication pause, with the write ledger on. Every write adds its own marker
 * attribute to the item it read, so the ground truth needs no detector at all: a write is lost iff
 * its marker is missing from the converged item. The ledger's reconciler, and the stream reconciler
 * over every region's stream, must each find exactly those writes.
 */
@LocalGlobalTableTest
class LostWriteDetectionRandomizedTest {
  private static final int ITEMS = 10;
  private static final int THREADS = 6;
  private static final int WRITES_PER_THREAD = 340;

  /** One acknowledged write and the marker it added. */
  record Acknowledged(ItemKey key, String marker, String token, String region) {}

  @Test
  void reconciler_findsEveryLostWriteAndNothingElse(LocalGlobalTable global) throws Exception {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    global.lag(Lag.of(Duration.ofMillis(50), Duration.ofMillis(1950)));
    for (String region : global.regions()) {
      global.clockSkew(region, Duration.ofMillis(random.nextLong(-500, 501)));
    }
    String tableName = global.createTable("subscribers", "pk");
    WriteLedger ledger =
        WriteLedger.builder().tableName(global.createTable("ledger", "pk", "sk")).build();
    Map<String, VersionedTable> tables = new HashMap<>();
    for (String region : global.regions()) {
      tables.put(
          region,
          VersionedTable.builder()
              .client(global.client(region))
              .tableName(tableName)
              .partitionKey("pk")
              .ledger(ledger)
              .retryPolicy(ConflictRetryPolicy.builder().maxAttempts(1000).build())
              .build());
    }
    for (int i = 0; i < ITEMS; i++) {
      tables.get(global.regions().get(i % 3)).create(item("pk", s("sub#" + i), "n", n(i)));
    }
    global.awaitQuiescence(Duration.ofSeconds(60));

    Map<String, Acknowledged> acknowledged = new ConcurrentHashMap<>();
    AtomicLong sequence = new AtomicLong();
    Concurrently.repeat(
        THREADS,
        WRITES_PER_THREAD,
        () -> {
          long seq = sequence.incrementAndGet();
          if (seq == THREADS * WRITES_PER_THREAD / 2) {
            global.pause();
          } else if (seq == THREADS * WRITES_PER_THREAD * 2 / 3) {
            global.resume();
          }
          ThreadLocalRandom r = ThreadLocalRandom.current();
          String region = global.regions().get(r.nextInt(3));
          ItemKey key = ItemKey.of("pk", "sub#" + r.nextInt(ITEMS));
          String marker = "m" + seq;
          UpdateResult result =
              tables.get(region).update(key, current -> Changes.builder().set(marker, 1).build());
          String token = result.item().writeToken().orElseThrow();
          acknowledged.put(token, new Acknowledged(key, marker, token, region));
        });
    global.resume();
    global.awaitQuiescence(Duration.ofSeconds(120));

    Map<Map<String, AttributeValue>, Map<String, AttributeValue>> finalItems =
        global.scan(global.regions().get(0), tableName);
    Set<String> trulyLost =
        acknowledged.values().stream()
            .filter(w -> !finalItems.get(w.key().asMap()).containsKey(w.marker()))
            .map(Acknowledged::token)
            .collect(Collectors.toSet());

    Reconciler.Report report =
        Reconciler.builder()
            .ledger(ledger)
            .ledgerClient(global.client(global.regions().get(1)))
            .table(tables.get(global.regions().get(1)))
            .segments(4)
            .build()
            .run();
    Set<String> reported =
        report.lost().stream().map(LostWrite::writeToken).collect(Collectors.toSet());

    StreamReconciler streams =
        StreamReconciler.builder().table(TableDescription.of(tableName, "pk")).build();
    for (String region : global.regions()) {
      try (StreamLostWritePoller poller =
          StreamLostWritePoller.builder()
              .detector(
                  StreamDetector.builder()
                      .table(TableDescription.of(tableName, "pk"))
                      .region(region)
                      .build())
              .dynamoDbClient(global.client(region))
              .streamsClient(global.streamsClient(region))
              .onRecords(records -> streams.add(region, records))
              .build()) {
        poller.pollOnce();
      }
    }
    Map<ItemKey, Map<String, AttributeValue>> settled = new HashMap<>();
    finalItems.forEach((key, item) -> settled.put(ItemKey.fromMap(key), item));
    List<LostWrite> fromStreams = streams.lostWrites(settled);
    System.out.printf(
        "randomized: %d acknowledged, %d lost, %d reported by the reconciler, %d from the streams%n",
        acknowledged.size(), trulyLost.size(), reported.size(), fromStreams.size());
    assertThat(fromStreams.stream().map(LostWrite::writeToken).collect(Collectors.toSet()))
        .as("streams of all regions: the same set")
        .isEqualTo(trulyLost);
    assertThat(fromStreams)
        .allSatisfy(
            lost ->
                assertThat(lost.changes().set())
                    .containsOnlyKeys(acknowledged.get(lost.writeToken()).marker()));
    assertThat(acknowledged).hasSize(THREADS * WRITES_PER_THREAD);
    assertThat(trulyLost).as("the run must actually lose writes").isNotEmpty();
    assertThat(report.entries()).isEqualTo(ITEMS + THREADS * WRITES_PER_THREAD);
    assertThat(reported).as("recall 1.0, no false alarm").isEqualTo(trulyLost);
    assertThat(report.lost())
        .allSatisfy(
            lost -> {
              Acknowledged write = acknowledged.get(lost.writeToken());
              assertThat(lost.key()).isEqualTo(write.key());
              assertThat(lost.region()).isEqualTo(write.region());
              assertThat(lost.changes().set()).containsOnlyKeys(write.marker());
            });
  }
}
