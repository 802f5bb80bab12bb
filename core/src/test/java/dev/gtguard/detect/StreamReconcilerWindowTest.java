package dev.gtguard.detect;

import static dev.gtguard.detect.StreamRecords.modify;
import static dev.gtguard.detect.StreamRecords.record;
import static dev.gtguard.detect.StreamRecords.s;
import static dev.gtguard.detect.StreamRecords.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.TableDescription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;

/** The reconciler's window, timed by a clock that moves only when the test moves it. */
class StreamReconcilerWindowTest {
  private static final Duration WINDOW = Duration.ofHours(1);

  private final MutableClock clock = new MutableClock();
  private final List<EvictedItem> evicted = new ArrayList<>();

  private StreamReconciler reconciler(Consumer<EvictedItem> onEvict) {
    return StreamReconciler.builder()
        .table(TableDescription.of("subscribers", "pk"))
        .window(WINDOW)
        .clock(clock)
        .onEvict(onEvict)
        .build();
  }

  private StreamReconciler reconciler() {
    return reconciler(evicted::add);
  }

  /** Item {@code pk} at a version, built on the version before. */
  private static Map<String, AttributeValue> state(String pk, long version) {
    Map<String, AttributeValue> image = subscriber(version, pk + "-" + version, "n", s("v"));
    image.put("pk", s(pk));
    if (version > 1) {
      image.put("parent_token", s(pk + "-" + (version - 1)));
    }
    return image;
  }

  /** An insert and {@code versions - 1} updates of item {@code pk}: {@code versions} states. */
  private static List<Record> history(String pk, int versions) {
    List<Record> records = new ArrayList<>();
    records.add(record(OperationType.INSERT, null, state(pk, 1)));
    for (int v = 2; v <= versions; v++) {
      records.add(modify(state(pk, v - 1), state(pk, v)));
    }
    return records;
  }

  private static ItemKey key(String pk) {
    return ItemKey.of("pk", pk);
  }

  @Test
  void add_itemQuietForLongerThanTheWindow_evictedAndOthersKept() {
    StreamReconciler reconciler = reconciler();
    reconciler.add("eu-west-1", history("a", 3));
    clock.advance(Duration.ofMinutes(30));
    reconciler.add("eu-west-1", history("b", 2));

    clock.advance(Duration.ofMinutes(30)); // a: exactly one window since its last record
    reconciler.evictExpired();
    assertThat(reconciler.retainedItems()).isEqualTo(2);
    assertThat(evicted).isEmpty();

    clock.advance(Duration.ofMillis(1));
    reconciler.add("us-east-1", List.of());

    assertThat(evicted).extracting(EvictedItem::key).containsExactly(key("a"));
    assertThat(evicted.get(0).states()).isEqualTo(3);
    assertThat(evicted.get(0).lastRecordAt())
        .isEqualTo(clock.instant().minus(WINDOW).minusMillis(1));
    assertThat(reconciler.retainedItems()).isEqualTo(1);
    assertThat(reconciler.retainedStates()).isEqualTo(2);
  }

  @Test
  void add_aLaterRecordOfTheItem_restartsItsWindow() {
    StreamReconciler reconciler = reconciler();
    List<Record> records = history("a", 2);
    reconciler.add("eu-west-1", records);
    clock.advance(Duration.ofMinutes(50));
    reconciler.add("us-east-1", records); // the same states, seen in the other region's stream

    clock.advance(Duration.ofMinutes(50));
    reconciler.evictExpired();

    assertThat(evicted).isEmpty();
    assertThat(reconciler.retainedStates()).isEqualTo(2);
  }

  @Test
  void onEvict_itemLeavingTheWindow_judgedWithItsWholeHistory() {
    List<LostWrite> lost = new ArrayList<>();
    var v1 = subscriber(1, "t1", "address", s("old"));
    var euV2 = subscriber(2, "eu2", "address", s("221B"), "parent_token", s("t1"));
    var usV2 = subscriber(2, "us2", "address", s("old"), "plan", s("pro"), "parent_token", s("t1"));
    Map<ItemKey, Map<String, AttributeValue>> settled = Map.of(key("sub#1"), usV2);
    StreamReconciler reconciler =
        reconciler(item -> lost.addAll(item.lostWrites(settled.get(item.key()))));
    reconciler.add(
        "eu-west-1",
        List.of(record(OperationType.INSERT, null, v1), modify(v1, euV2), modify(euV2, usV2)));
    clock.advance(Duration.ofMinutes(10));
    reconciler.add("us-east-1", List.of(record(OperationType.INSERT, null, v1), modify(v1, usV2)));

    clock.advance(WINDOW.plusMinutes(1));
    reconciler.evictExpired();

    assertThat(lost)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.writeToken()).isEqualTo("eu2");
              assertThat(l.region()).isEqualTo("eu-west-1");
              assertThat(l.survivingToken()).isEqualTo("us2");
              assertThat(l.changes().set()).containsOnlyKeys("address");
            });
    assertThat(reconciler.retainedItems()).isZero();
    assertThat(reconciler.lostWrites(settled)).isEmpty(); // gone: judged once, on the way out
  }

  @Test
  void add_itemsWrittenForTenHours_retainedStatesBoundedByOneWindowOfWrites() {
    StreamReconciler reconciler = reconciler(item -> {});
    int itemsPerMinute = 5;
    int versionsPerItem = 3;
    int maxRetained = 0;
    for (int minute = 0; minute < 600; minute++) {
      for (int i = 0; i < itemsPerMinute; i++) {
        reconciler.add("eu-west-1", history("item-" + minute + "-" + i, versionsPerItem));
      }
      maxRetained = Math.max(maxRetained, reconciler.retainedStates());
      clock.advance(Duration.ofMinutes(1));
    }

    // At most the items of the last 61 minutes (the window, and the minute at its edge).
    int oneWindow = 61 * itemsPerMinute * versionsPerItem;
    assertThat(maxRetained).isEqualTo(oneWindow);
    assertThat(reconciler.retainedStates()).isEqualTo(oneWindow);
    assertThat(reconciler.retainedItems()).isEqualTo(61 * itemsPerMinute);
  }

  @Test
  void add_withoutACallback_evictedItemsAreDroppedUnjudged() {
    StreamReconciler reconciler =
        StreamReconciler.builder()
            .table(TableDescription.of("subscribers", "pk"))
            .window(WINDOW)
            .clock(clock)
            .build();
    reconciler.add("eu-west-1", history("a", 2));

    clock.advance(WINDOW.plusSeconds(1));
    reconciler.evictExpired();

    assertThat(reconciler.retainedStates()).isZero();
  }

  @Test
  void onEvict_callbackThrows_everyEvictedItemOfferedThenTheFailureRaised() {
    List<ItemKey> offered = new ArrayList<>();
    StreamReconciler reconciler =
        reconciler(
            item -> {
              offered.add(item.key());
              throw new IllegalStateException("alarm system down for " + item.key());
            });
    reconciler.add("eu-west-1", history("a", 1));
    reconciler.add("eu-west-1", history("b", 1));
    clock.advance(WINDOW.plusSeconds(1));

    assertThatThrownBy(() -> reconciler.add("eu-west-1", history("c", 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pk=a")
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
    assertThat(offered).containsExactly(key("a"), key("b"));
    assertThat(reconciler.retainedItems()).isEqualTo(1); // c was added all the same
  }

  @Test
  void builder_windowNotPositive_refused() {
    assertThatThrownBy(() -> StreamReconciler.builder().window(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StreamReconciler.builder().window(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
