package dev.gtguard.internal.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.TableDescription;
import dev.gtguard.VersionedItem;
import dev.gtguard.internal.InputRules;
import dev.gtguard.internal.ItemCodec;
import dev.gtguard.internal.write.OutcomeResolver.Resolution;
import dev.gtguard.internal.write.OutcomeResolver.Verdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Every rule of the resolver, one by one, on items as DynamoDB would return them. */
class OutcomeResolverTest {
  private static final TableDescription TABLE = TableDescription.of("subscribers", "pk");
  private static final ItemKey KEY = ItemKey.of("pk", "sub#1");
  private static final Route EU = new Route("eu-west-1", null, null);

  private final InputRules rules = new InputRules(TABLE);
  private final ItemCodec codec = new ItemCodec(rules);
  private final OutcomeResolver plain = new OutcomeResolver(codec, new PlainExecutor(null));

  private static VersionedItem state(long version, String token, String parent, long count) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", AttributeValue.fromS("sub#1"));
    item.put("count", AttributeValue.fromN(Long.toString(count)));
    item.put("version", AttributeValue.fromN(Long.toString(version)));
    item.put("write_token", AttributeValue.fromS(token));
    if (parent != null) {
      item.put("parent_token", AttributeValue.fromS(parent));
    }
    return new VersionedItem(item, version, token, false);
  }

  private static final VersionedItem BASE = state(5, "T5", "T4", 10);
  private static final Base ON_BASE = Base.of(BASE);

  private static VersionedWrite increment(String token) {
    return VersionedWrite.update(
        TABLE, KEY, BASE.expected(), Changes.builder().set("count", 11).build(), token, EU);
  }

  private Resolution resolve(VersionedItem now, VersionedWrite... mine) {
    return joined(plain, now, ON_BASE, List.of(mine), EU);
  }

  @Test
  void ourTokenIsCurrent_applied_withThatState() {
    VersionedItem now = state(6, "ours", "T5", 11);

    Resolution r = resolve(now, increment("ours"));

    assertThat(r.verdict()).isEqualTo(Verdict.APPLIED);
    assertThat(r.stored()).isEqualTo(now);
    assertThat(r.stored().writtenIn()).contains("eu-west-1");
  }

  @Test
  void anotherWriteBuiltOnOurs_applied_withTheStateWeStored() {
    VersionedItem now = state(7, "theirs", "ours", 12);

    Resolution r = resolve(now, increment("ours"));

    assertThat(r.verdict()).isEqualTo(Verdict.APPLIED);
    assertThat(r.stored().version()).isEqualTo(6);
    assertThat(r.stored().writeToken()).contains("ours");
    assertThat(r.stored().get("count")).isEqualTo(AttributeValue.fromN("11"));
    assertThat(r.stored().get("parent_token")).isEqualTo(AttributeValue.fromS("T5"));
  }

  @Test
  void anEarlierAttemptOnTheSameBase_applied() {
    VersionedItem now = state(6, "first", "T5", 11);

    assertThat(resolve(now, increment("first"), increment("second")).verdict())
        .isEqualTo(Verdict.APPLIED);
  }

  @Test
  void itemStillAtBase_notYet() {
    assertThat(resolve(BASE, increment("ours")).verdict()).isEqualTo(Verdict.NOT_YET);
  }

  @Test
  void anotherWriteTookTheBasesPlace_notApplied() {
    assertThat(resolve(state(6, "theirs", "T5", 11), increment("ours")).verdict())
        .isEqualTo(Verdict.NOT_APPLIED);
  }

  @Test
  void severalWritesSince_withoutLedger_unknown() {
    assertThat(resolve(state(8, "T8", "T7", 13), increment("ours")).verdict())
        .isEqualTo(Verdict.UNKNOWN);
  }

  @Test
  void itemDeletedSince_withoutLedger_unknown() {
    assertThat(resolve(null, increment("ours")).verdict()).isEqualTo(Verdict.UNKNOWN);
  }

  @Test
  void severalWritesSince_ledgerHoldsOurEntry_applied_withTheStateWeStored() {
    VersionedWrite ours = increment("ours");
    OutcomeResolver withLedger = new OutcomeResolver(codec, ledgerHolding(List.of(ours)));

    Resolution r = joined(withLedger, state(8, "T8", "T7", 13), ON_BASE, List.of(ours), EU);

    assertThat(r.verdict()).isEqualTo(Verdict.APPLIED);
    assertThat(r.stored().version()).isEqualTo(6);
    assertThat(r.stored().get("count")).isEqualTo(AttributeValue.fromN("11"));
  }

  @Test
  void itemDeletedSince_ledgerWithoutOurEntry_notApplied() {
    OutcomeResolver withLedger = new OutcomeResolver(codec, ledgerHolding(List.of()));

    assertThat(joined(withLedger, null, ON_BASE, List.of(increment("ours")), EU).verdict())
        .isEqualTo(Verdict.NOT_APPLIED);
  }

  @Test
  void ledgerUnreadable_unknown() {
    OutcomeResolver withLedger = new OutcomeResolver(codec, ledgerHolding(null));

    assertThat(joined(withLedger, null, ON_BASE, List.of(increment("ours")), EU).verdict())
        .isEqualTo(Verdict.UNKNOWN);
  }

  @Test
  void create_absentItem_notYet_ourItem_applied_anotherItem_unknownWithoutLedger() {
    Map<String, AttributeValue> item = Map.of("pk", AttributeValue.fromS("sub#1"));
    VersionedWrite create = VersionedWrite.create(TABLE, KEY, item, "ours");

    assertThat(joined(plain, null, Base.ABSENT, List.of(create), EU).verdict())
        .isEqualTo(Verdict.NOT_YET);
    assertThat(joined(plain, state(1, "ours", null, 0), Base.ABSENT, List.of(create), EU).verdict())
        .isEqualTo(Verdict.APPLIED);
    // Someone else's item: ours may have landed and been deleted and re-created since.
    assertThat(
            joined(plain, state(1, "theirs", null, 0), Base.ABSENT, List.of(create), EU).verdict())
        .isEqualTo(Verdict.UNKNOWN);
  }

  @Test
  void delete_itemAtBase_notYet_updatedByAnother_notApplied_absent_unknownWithoutLedger() {
    VersionedWrite delete = VersionedWrite.delete(TABLE, KEY, BASE.expected(), "ours", EU);
    Base base = Base.expecting(BASE.expected());

    assertThat(joined(plain, BASE, base, List.of(delete), EU).verdict()).isEqualTo(Verdict.NOT_YET);
    assertThat(joined(plain, state(6, "theirs", "T5", 1), base, List.of(delete), EU).verdict())
        .isEqualTo(Verdict.NOT_APPLIED);
    assertThat(joined(plain, null, base, List.of(delete), EU).verdict()).isEqualTo(Verdict.UNKNOWN);
  }

  /** A ledger that holds exactly {@code entries} (null: cannot be read). */
  private static Resolution joined(
      OutcomeResolver resolver,
      VersionedItem now,
      Base base,
      List<VersionedWrite> mine,
      Route route) {
    return resolver.resolve(now, base, mine, route).join();
  }

  private static WriteExecutor ledgerHolding(List<VersionedWrite> entries) {
    return new WriteExecutor() {
      @Override
      public void check(VersionedWrite write) {}

      @Override
      public CompletableFuture<Map<String, AttributeValue>> send(
          Route route, VersionedWrite write) {
        throw new UnsupportedOperationException();
      }

      @Override
      public CompletableFuture<List<VersionedWrite>> committed(
          Route route, List<VersionedWrite> attempts) {
        return CompletableFuture.completedFuture(
            entries == null ? null : attempts.stream().filter(entries::contains).toList());
      }

      @Override
      public boolean proves() {
        return true;
      }
    };
  }
}
