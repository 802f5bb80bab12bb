package dev.gtguard;

import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.spi.WriteListener;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The write token makes a same-version overwrite visible at the writer's next write. */
@LocalGlobalTableTest(
    regions = {"eu-west-1", "us-east-1"},
    lagMillis = 300)
class NextWriteDetectionTest {
  private static final String EU = "eu-west-1";
  private static final String US = "us-east-1";
  private static final ItemKey KEY = ItemKey.of("pk", "subscriber#4711");
  private static final Duration QUIET = Duration.ofSeconds(30);

  private final List<LostWrite> reported = new CopyOnWriteArrayList<>();
  private LocalGlobalTable global;
  private VersionedTable inEu;
  private VersionedTable inUs;

  @BeforeEach
  void setUp(LocalGlobalTable global) {
    this.global = global;
    String table = global.createTable("subscribers", "pk");
    WriteListener listener =
        new WriteListener() {
          @Override
          public void onLostWrite(LostWrite lost) {
            reported.add(lost);
          }
        };
    inEu =
        VersionedTable.builder()
            .client(global.client(EU))
            .tableName(table)
            .partitionKey("pk")
            .listener(listener)
            .build();
    inUs =
        VersionedTable.builder()
            .client(global.client(US))
            .tableName(table)
            .partitionKey("pk")
            .listener(listener)
            .build();
    inEu.create(
        item(
            "pk",
            s("subscriber#4711"),
            "delivery_address",
            s("old"),
            "last_contacted",
            s("never")));
    global.awaitQuiescence(QUIET);
  }

  @Test
  void update_ownWriteOverwrittenByReplication_reportsLostWriteAndStillUpdates() throws Exception {
    UpdateResult portal =
        inEu.update(KEY, i -> Changes.builder().set("delivery_address", "221B").build());
    Thread.sleep(49);
    UpdateResult job =
        inUs.update(KEY, i -> Changes.builder().set("last_contacted", "today").build());
    global.awaitQuiescence(QUIET);
    assertThat(portal.item().version()).isEqualTo(2);
    assertThat(job.item().version()).isEqualTo(2);

    UpdateResult next =
        inEu.update(portal.item(), i -> Changes.builder().set("plan", "pro").build());

    assertThat(next.item().version()).isEqualTo(3);
    assertThat(next.item().get("plan")).isEqualTo(s("pro"));
    assertThat(next.lostWrites())
        .singleElement()
        .satisfies(
            lost -> {
              assertThat(lost.source()).isEqualTo(LostWrite.Source.NEXT_WRITE);
              assertThat(lost.region()).isEqualTo(EU);
              assertThat(lost.version()).isEqualTo(2);
              assertThat(lost.writeToken()).isEqualTo(portal.item().writeToken().orElseThrow());
              assertThat(lost.survivingToken()).isEqualTo(job.item().writeToken().orElseThrow());
              assertThat(lost.changes().set()).containsOnlyKeys("delivery_address");
              assertThat(lost.lostItem().get("delivery_address")).isEqualTo(s("221B"));
            });
    assertThat(reported).containsExactlyElementsOf(next.lostWrites());
  }

  @Test
  void update_ownWriteSupersededByLaterVersion_reportsNothing() {
    UpdateResult first = inEu.update(KEY, i -> Changes.builder().set("a", 1).build());
    inEu.update(KEY, i -> Changes.builder().set("b", 2).build());

    UpdateResult next = inEu.update(first.item(), i -> Changes.builder().set("c", 3).build());

    assertThat(next.attempts()).isEqualTo(2);
    assertThat(next.lostWrites()).isEmpty();
    assertThat(reported).isEmpty();
  }

  @Test
  void update_readStateOverwritten_isNotClaimedAsOwnLoss() throws Exception {
    VersionedItem read = inEu.get(KEY).orElseThrow();
    inEu.update(KEY, i -> Changes.builder().set("delivery_address", "221B").build());
    Thread.sleep(49);
    inUs.update(KEY, i -> Changes.builder().set("last_contacted", "today").build());
    global.awaitQuiescence(QUIET);

    UpdateResult next = inEu.update(read, i -> Changes.builder().set("plan", "pro").build());

    // The read state (version 1) was superseded normally; only a writer's own state can prove a
    // loss.
    assertThat(next.lostWrites()).isEmpty();
    assertThat(next.item().get("plan")).isEqualTo(s("pro"));
    assertThat(n(next.item().version())).isEqualTo(n(3));
  }

  @Test
  void update_heldStateOfAnItemDeletedAndCreatedAgain_isNoLoss() {
    VersionedItem held = inEu.update(KEY, i -> Changes.builder().set("a", 1).build()).item();
    inEu.delete(KEY, held.expected());
    inEu.create(item("pk", s("subscriber#4711"), "delivery_address", s("new")));

    // The held state (version 2) meets version 1 again: a new incarnation, not an overwrite.
    UpdateResult next = inEu.update(held, i -> Changes.builder().set("plan", "pro").build());

    assertThat(next.lostWrites()).isEmpty();
    assertThat(reported).isEmpty();
    assertThat(next.item().version()).isEqualTo(2);
  }

  @Test
  void update_heldStateReplacedByAWholeItemPutWithoutTheLibrary_isNoLoss() {
    VersionedItem held = inEu.update(KEY, i -> Changes.builder().set("a", 1).build()).item();
    global
        .client(EU)
        .putItem(
            r ->
                r.tableName(inEu.tableName())
                    .item(item("pk", s("subscriber#4711"), "email", s("legacy@example.com"))));

    UpdateResult next = inEu.update(held, i -> Changes.builder().set("plan", "pro").build());

    assertThat(next.lostWrites()).isEmpty();
    assertThat(reported).isEmpty();
    assertThat(next.item().get("email")).isEqualTo(s("legacy@example.com"));
  }
}
