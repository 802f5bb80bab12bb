package dev.gtguard.detect;

import static dev.gtguard.detect.StreamRecords.modify;
import static dev.gtguard.detect.StreamRecords.record;
import static dev.gtguard.detect.StreamRecords.s;
import static dev.gtguard.detect.StreamRecords.subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.f4b6a3.ulid.UlidCreator;
import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.TableDescription;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.OperationType;

class StreamReconcilerTest {
  private static final ItemKey KEY = ItemKey.of("pk", "sub#1");

  // Real write tokens are ULIDs, which order states in time; these follow one another.
  private static final String T1 = UlidCreator.getMonotonicUlid().toString();
  private static final String T2 = UlidCreator.getMonotonicUlid().toString();
  private static final String U1 = UlidCreator.getMonotonicUlid().toString();
  private static final String A1 = UlidCreator.getMonotonicUlid().toString();

  private static StreamReconciler reconciler() {
    return StreamReconciler.builder().table(TableDescription.of("subscribers", "pk")).build();
  }

  @Test
  void lostWrites_branchOffTheSurvivingChain_isLostWithItsOwnChanges() {
    StreamReconciler reconciler = reconciler();
    var v1 = subscriber(1, "t1", "address", s("old"));
    var euV2 = subscriber(2, "eu2", "address", s("221B"), "parent_token", s("t1"));
    var usV2 =
        subscriber(2, "us2", "address", s("old"), "contacted", s("today"), "parent_token", s("t1"));
    var usV3 =
        subscriber(
            3,
            "us3",
            "address",
            s("old"),
            "contacted",
            s("today"),
            "plan",
            s("pro"),
            "parent_token",
            s("us2"));
    reconciler.add(
        "eu-west-1",
        List.of(
            record(OperationType.INSERT, null, v1),
            modify(v1, euV2),
            modify(euV2, usV2),
            modify(usV2, usV3)));
    reconciler.add(
        "us-east-1",
        List.of(record(OperationType.INSERT, null, v1), modify(v1, usV2), modify(usV2, usV3)));

    List<LostWrite> lost = reconciler.lostWrites(Map.of(KEY, usV3));

    assertThat(lost)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.writeToken()).isEqualTo("eu2");
              assertThat(l.version()).isEqualTo(2);
              assertThat(l.survivingToken()).isEqualTo("us3");
              assertThat(l.changes().set()).containsOnlyKeys("address");
              assertThat(l.changes().remove()).isEmpty();
            });
  }

  @Test
  void lostWrites_linearHistoryAndReplays_reportNothing() {
    StreamReconciler reconciler = reconciler();
    var v1 = subscriber(1, "t1");
    var v2 = subscriber(2, "t2", "a", s("x"), "parent_token", s("t1"));
    var v3 = subscriber(3, "t3", "a", s("y"), "parent_token", s("t2"));
    List<software.amazon.awssdk.services.dynamodb.model.Record> records =
        List.of(record(OperationType.INSERT, null, v1), modify(v1, v2), modify(v2, v3));
    reconciler.add("eu-west-1", records);
    reconciler.add("eu-west-1", records);
    reconciler.add("us-east-1", records);

    assertThat(reconciler.lostWrites(Map.of(KEY, v3))).isEmpty();
  }

  @Test
  void lostWrites_deletedItem_everyDeletedStateIsHistory_noFalseAlarm() {
    StreamReconciler reconciler = reconciler();
    var v1 = subscriber(1, "t1");
    var v2 = subscriber(2, "t2", "a", s("x"), "parent_token", s("t1"));
    var other = subscriber(2, "o2", "b", s("y"), "parent_token", s("t1"));
    reconciler.add(
        "eu-west-1",
        List.of(
            record(OperationType.INSERT, null, v1),
            modify(v1, v2),
            record(OperationType.REMOVE, v2, null)));
    reconciler.add(
        "us-east-1",
        List.of(
            record(OperationType.INSERT, null, v1),
            modify(v1, other),
            record(OperationType.REMOVE, other, null)));

    // A stream cannot tell which removed state the delete was checked against: all count as
    // history (the ledger is the one that names a write wiped by a concurrent delete).
    List<LostWrite> lost = reconciler.lostWrites(Map.of());

    assertThat(lost).isEmpty();
  }

  @Test
  void lostWrites_legacyItemsWithoutVersion_areIgnored() {
    StreamReconciler reconciler = reconciler();
    var legacy = StreamRecords.item("pk", s("sub#1"), "a", s("x"));
    var adopted = subscriber(1, "t1", "a", s("y"));
    reconciler.add(
        "eu-west-1", List.of(record(OperationType.INSERT, null, legacy), modify(legacy, adopted)));

    assertThat(reconciler.lostWrites(Map.of(KEY, adopted))).isEmpty();
  }

  @Test
  void lostWrites_wholeItemPutWithoutTheLibrary_foreignWriteNoFalseAlarm() {
    StreamReconciler reconciler = reconciler();
    var v1 = subscriber(1, T1, "email", s("first"));
    var v2 = subscriber(2, T2, "email", s("second"), "parent_token", s(T1));
    var legacy = Map.of("pk", s("sub#1"), "email", s("newest"));
    reconciler.add(
        "eu-west-1",
        List.of(record(OperationType.INSERT, null, v1), modify(v1, v2), modify(v2, legacy)));

    assertThat(reconciler.lostWrites(Map.of(KEY, legacy))).isEmpty();
  }

  @Test
  void lostWrites_deletedAndCreatedAgain_twoIncarnationsNoFalseAlarm() {
    StreamReconciler reconciler = reconciler();
    var v1 = subscriber(1, T1, "email", s("first"));
    var v2 = subscriber(2, T2, "email", s("second"), "parent_token", s(T1));
    var again = subscriber(1, U1, "email", s("third"));
    reconciler.add(
        "eu-west-1",
        List.of(
            record(OperationType.INSERT, null, v1),
            modify(v1, v2),
            record(OperationType.REMOVE, v2, null),
            record(OperationType.INSERT, null, again)));

    assertThat(reconciler.lostWrites(Map.of(KEY, again))).isEmpty();
  }

  @Test
  void lostWrites_adoptedAfterALegacyPut_olderHistoryIsABoundary() {
    StreamReconciler reconciler = reconciler();
    var v1 = subscriber(1, T1, "email", s("first"));
    var v2 = subscriber(2, T2, "email", s("second"), "parent_token", s(T1));
    var legacy = Map.of("pk", s("sub#1"), "email", s("newest"));
    var adopted = subscriber(1, A1, "email", s("newest"), "plan", s("pro"));
    reconciler.add(
        "eu-west-1",
        List.of(
            record(OperationType.INSERT, null, v1),
            modify(v1, v2),
            modify(v2, legacy),
            modify(legacy, adopted)));

    assertThat(reconciler.lostWrites(Map.of(KEY, adopted))).isEmpty();
  }
}
