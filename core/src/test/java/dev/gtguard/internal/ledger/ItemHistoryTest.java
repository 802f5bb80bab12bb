package dev.gtguard.internal.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.f4b6a3.ulid.UlidCreator;
import dev.gtguard.ItemKey;
import dev.gtguard.VersionedItem;
import dev.gtguard.internal.ledger.ItemHistory.Judgement;
import dev.gtguard.internal.ledger.ItemHistory.Loss;
import dev.gtguard.internal.ledger.ItemHistory.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Every shape of history the judge meets, without a server. */
class ItemHistoryTest {
  private static final ItemKey KEY = ItemKey.of("pk", "sub#1");

  private final List<LedgerEntry> entries = new ArrayList<>();

  /** Appends an entry, later in ledger time than every earlier one. */
  private LedgerEntry write(String op, String token, String parent, long version, String attr) {
    LedgerEntry e =
        new LedgerEntry(
            UlidCreator.getMonotonicUlid().toString(),
            KEY,
            op,
            version,
            token,
            parent,
            "eu-west-1",
            attr == null ? Map.of() : Map.of(attr, AttributeValue.fromS(token)),
            List.of(),
            false,
            null,
            null);
    entries.add(e);
    return e;
  }

  private static VersionedItem item(long version, String token) {
    return new VersionedItem(Map.of("pk", AttributeValue.fromS("sub#1")), version, token, false);
  }

  private Judgement judge(VersionedItem current, String parent) {
    return ItemHistory.judge(entries, current, parent);
  }

  private static List<String> lostTokens(Judgement j) {
    return j.losses().stream().map(l -> l.entry().token()).toList();
  }

  @Test
  void linearHistory_nothingLost() {
    write("CREATE", "c1", null, 1, "a");
    write("UPDATE", "u2", "c1", 2, "a");
    write("UPDATE", "u3", "u2", 3, "b");

    Judgement j = judge(item(3, "u3"), "u2");

    assertThat(j.status()).isEqualTo(Status.JUDGED);
    assertThat(j.losses()).isEmpty();
    assertThat(j.boundaries()).isEmpty();
    assertThat(j.currentInLedger()).isTrue();
  }

  @Test
  void london_concurrentWriteOnTheSameBase_lost_withWhatToReapply() {
    write("CREATE", "c1", null, 1, "a");
    write("UPDATE", "eu2", "c1", 2, "address");
    write("UPDATE", "us2", "c1", 2, "contacted");

    Judgement j = judge(item(2, "us2"), "c1");

    assertThat(j.losses())
        .singleElement()
        .satisfies(
            loss -> {
              assertThat(loss.entry().token()).isEqualTo("eu2");
              assertThat(loss.remaining().set()).containsOnlyKeys("address");
            });
  }

  @Test
  void london_onAnAdoptedStateTheLedgerNeverSaw_theLoserIsLost_whicheverEntryCameFirst() {
    // Both writes built on "seed17", a state written without the library: two trees, two roots.
    // The loser's entry sorts before the survivor's (as when it was written first).
    write("UPDATE", "eu18", "seed17", 18, "address");
    write("UPDATE", "us18", "seed17", 18, "contacted");

    Judgement j = judge(item(18, "us18"), "seed17");

    assertThat(lostTokens(j)).containsExactly("eu18");
    assertThat(j.boundaries()).isEmpty();
  }

  @Test
  void lostWriteRewrittenLaterOnTheSurvivingHistory_nothingLeftToReapply() {
    write("CREATE", "c1", null, 1, null);
    write("UPDATE", "eu2", "c1", 2, "address");
    write("UPDATE", "us2", "c1", 2, "contacted");
    write("UPDATE", "us3", "us2", 3, "address");

    List<Loss> losses = judge(item(3, "us3"), "us2").losses();

    assertThat(losses).singleElement().satisfies(l -> assertThat(l.remaining().isEmpty()).isTrue());
  }

  @Test
  void writeMadeAfterTheLedgerWasRead_itsParentStandsIn_noFalseLoss() {
    write("CREATE", "c1", null, 1, "a");
    write("UPDATE", "u2", "c1", 2, "a");
    // u3 was written after the entries were queried: the item shows it, the entries do not.

    Judgement j = judge(item(3, "u3"), "u2");

    assertThat(j.status()).isEqualTo(Status.JUDGED);
    assertThat(j.losses()).isEmpty();
    assertThat(j.currentInLedger()).isFalse();
  }

  @Test
  void ledgerFarBehindTheItem_undecided_notEverythingLost() {
    write("CREATE", "c1", null, 1, "a");

    Judgement j = judge(item(5, "u5"), "u4");

    assertThat(j.status()).isEqualTo(Status.LEDGER_BEHIND);
    assertThat(j.losses()).isEmpty();
  }

  @Test
  void ledgerAheadOfTheItemsReplica_newerEntriesNotJudgedYet() {
    write("CREATE", "c1", null, 1, "a");
    write("UPDATE", "u2", "c1", 2, "a");

    Judgement j = judge(item(1, "c1"), null);

    assertThat(j.losses()).isEmpty();
    assertThat(j.ahead()).isEqualTo(1);
  }

  @Test
  void ttlOrConsoleDelete_foreignBoundary_noLoss() {
    write("CREATE", "c1", null, 1, "a");
    write("UPDATE", "u2", "c1", 2, "a");

    Judgement j = judge(null, null);

    assertThat(j.losses()).isEmpty();
    assertThat(j.boundaries()).hasSize(1);
  }

  @Test
  void libraryDeleteThenRecreate_twoIncarnations_noLoss() {
    write("CREATE", "c1", null, 1, "a");
    write("UPDATE", "u2", "c1", 2, "a");
    write("DELETE", "d3", "u2", 3, null);
    write("CREATE", "c1b", null, 1, "a");

    Judgement j = judge(item(1, "c1b"), null);

    assertThat(j.losses()).isEmpty();
    assertThat(j.boundaries()).isEmpty();
  }

  @Test
  void foreignDeleteThenRecreate_boundary_noLoss() {
    write("CREATE", "c1", null, 1, "a");
    write("UPDATE", "u2", "c1", 2, "a");
    write("CREATE", "c1b", null, 1, "a"); // the first incarnation was deleted by TTL

    Judgement j = judge(item(1, "c1b"), null);

    assertThat(j.losses()).isEmpty();
    assertThat(j.boundaries()).hasSize(1);
  }

  @Test
  void writeWipedByAConcurrentDelete_lost() {
    write("CREATE", "c1", null, 1, "a");
    write("UPDATE", "u2", "c1", 2, "a"); // in one region
    write("DELETE", "d2", "c1", 2, null); // at the same time in another; the delete won

    assertThat(lostTokens(judge(null, null))).containsExactly("u2");
  }

  @Test
  void legacyWholeItemPutOverVersionedHistory_foreignCurrent_noLoss() {
    write("CREATE", "c1", null, 1, "email");
    write("UPDATE", "u2", "c1", 2, "email");

    Judgement j = judge(new VersionedItem(Map.of(), 0, null, true), null);

    assertThat(j.status()).isEqualTo(Status.FOREIGN_CURRENT);
    assertThat(j.losses()).isEmpty();
  }

  @Test
  void legacyPutThenAdopted_oldHistoryIsABoundary_noLoss() {
    write("CREATE", "c1", null, 1, "email");
    write("UPDATE", "u2", "c1", 2, "email");
    // A whole-item put without the library replaced it; the library then adopted it.
    write("UPDATE", "a1", null, 1, "email");

    Judgement j = judge(item(1, "a1"), null);

    assertThat(j.losses()).isEmpty();
    assertThat(j.boundaries()).hasSize(1);
  }

  @Test
  void writerWithoutLedgerInBetween_oldHistoryIsABoundary_noLoss() {
    write("CREATE", "c1", null, 1, "a");
    write("UPDATE", "u2", "c1", 2, "a");
    // u3 by a writer without the ledger; u4 with it again, built on u3.
    write("UPDATE", "u4", "u3", 4, "a");

    Judgement j = judge(item(4, "u4"), "u3");

    assertThat(j.losses()).isEmpty();
    assertThat(j.boundaries()).hasSize(1);
  }

  @Test
  void lostBranchThatRanOnAfterTheSurvivingHistoryBegan_lost() {
    write("UPDATE", "b1", "gone", 5, "a"); // its parent expired from the ledger
    write("UPDATE", "s1", "gone", 5, "b");
    write("UPDATE", "b2", "b1", 6, "a"); // the losing branch went on
    write("UPDATE", "s2", "s1", 6, "b");

    assertThat(lostTokens(judge(item(6, "s2"), "s1"))).containsExactly("b1", "b2");
  }

  @Test
  void survivingRepair_lossNoLongerReported() {
    write("CREATE", "c1", null, 1, null);
    write("UPDATE", "eu2", "c1", 2, "address");
    write("UPDATE", "us2", "c1", 2, "contacted");
    entries.add(
        new LedgerEntry(
            UlidCreator.getMonotonicUlid().toString(),
            KEY,
            "UPDATE",
            3,
            "r3",
            "us2",
            "us-east-1",
            Map.of("address", AttributeValue.fromS("eu2")),
            List.of(),
            false,
            "eu2",
            null));

    Judgement j = judge(item(3, "r3"), "us2");

    assertThat(j.losses()).isEmpty();
    assertThat(j.repaired()).isEqualTo(1);
  }

  @Test
  void entriesFailingTheirMac_untrusted_neverLosses() {
    write("CREATE", "c1", null, 1, "a");
    entries.add(
        new LedgerEntry(
            UlidCreator.getMonotonicUlid().toString(),
            KEY,
            "UPDATE",
            2,
            "forged",
            "c1",
            "eu-west-1",
            Map.of("role", AttributeValue.fromS("admin")),
            List.of(),
            false,
            null,
            false));

    Judgement j = judge(item(1, "c1"), null);

    assertThat(j.losses()).isEmpty();
    assertThat(j.untrusted()).extracting(LedgerEntry::token).containsExactly("forged");
  }
}
