package dev.gtguard;

import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.detect.StreamDetector;
import dev.gtguard.detect.StreamLostWritePoller;
import dev.gtguard.ledger.Reconciler;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.testkit.Concurrently;
import dev.gtguard.testkit.Lag;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Two regions, random lag and skew, hundreds of versioned writes, ground truth from per-write
 * markers: the stream detector never reports a write that survived (with two regions an overwrite
 * it sees is final), and the reconciler reports exactly the lost ones. The stream detector cannot
 * see every loss (a replica that moved past the lost version hides it); its recall is printed.
 */
@LocalGlobalTableTest(regions = {"eu-west-1", "us-east-1"})
class StreamDetectionRandomizedTest {
  private static final int ITEMS = 6;
  private static final int THREADS = 4;
  private static final int WRITES_PER_THREAD = 150;

  @Test
  void streamDetector_reportsOnlyLostWrites_reconcilerReportsAllOfThem(LocalGlobalTable global)
      throws Exception {
    global.lag(Lag.of(Duration.ofMillis(50), Duration.ofMillis(700)));
    for (String region : global.regions()) {
      global.clockSkew(region, Duration.ofMillis(ThreadLocalRandom.current().nextLong(-300, 301)));
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
      tables.get(global.regions().get(i % 2)).create(item("pk", s("sub#" + i), "n", n(i)));
    }
    global.awaitQuiescence(Duration.ofSeconds(60));
    Map<String, String> markerByToken = new ConcurrentHashMap<>();
    Map<String, ItemKey> keyByToken = new ConcurrentHashMap<>();
    AtomicLong sequence = new AtomicLong();

    Concurrently.repeat(
        THREADS,
        WRITES_PER_THREAD,
        () -> {
          ThreadLocalRandom r = ThreadLocalRandom.current();
          String marker = "m" + sequence.incrementAndGet();
          ItemKey key = ItemKey.of("pk", "sub#" + r.nextInt(ITEMS));
          UpdateResult result =
              tables
                  .get(global.regions().get(r.nextInt(2)))
                  .update(key, current -> Changes.builder().set(marker, 1).build());
          String token = result.item().writeToken().orElseThrow();
          markerByToken.put(token, marker);
          keyByToken.put(token, key);
        });
    global.awaitQuiescence(Duration.ofSeconds(60));

    Map<Map<String, AttributeValue>, Map<String, AttributeValue>> finalItems =
        global.scan(global.regions().get(0), tableName);
    Set<String> trulyLost =
        markerByToken.keySet().stream()
            .filter(
                t -> !finalItems.get(keyByToken.get(t).asMap()).containsKey(markerByToken.get(t)))
            .collect(Collectors.toSet());
    Set<String> streamReported = new HashSet<>();
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
              .build()) {
        poller.pollOnce().forEach(lost -> streamReported.add(lost.writeToken()));
      }
    }
    Set<String> ledgerReported =
        Reconciler.builder()
            .ledger(ledger)
            .ledgerClient(global.client(global.regions().get(0)))
            .table(tables.get(global.regions().get(0)))
            .build()
            .run()
            .lost()
            .stream()
            .map(LostWrite::writeToken)
            .collect(Collectors.toSet());
    long caught = streamReported.stream().filter(trulyLost::contains).count();
    System.out.printf(
        "two regions: %d acknowledged, %d lost; stream detector %d reported (recall %.2f), ledger %d%n",
        markerByToken.size(),
        trulyLost.size(),
        streamReported.size(),
        trulyLost.isEmpty() ? 1.0 : (double) caught / trulyLost.size(),
        ledgerReported.size());

    assertThat(trulyLost).as("the run must actually lose writes").isNotEmpty();
    assertThat(trulyLost).as("stream detector: no false alarm").containsAll(streamReported);
    assertThat(streamReported).isNotEmpty();
    assertThat(ledgerReported).as("ledger: recall 1.0, no false alarm").isEqualTo(trulyLost);
  }
}
