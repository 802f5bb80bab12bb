package dev.gtguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.TableDescription;
import dev.gtguard.VersionedItem;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.InvalidItemException.Reason;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The input rules, without a server: each broken rule is named. */
class InputRulesTest {
  private static final TableDescription TABLE =
      TableDescription.builder().tableName("events").partitionKey("pk").sortKey("sk").build();
  private static final ItemKey KEY =
      ItemKey.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromS("b"));

  private final InputRules rules = new InputRules(TABLE);

  private static void refused(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidItemException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.getMessage()).contains("(table events)");
            });
  }

  private static VersionedItem current() {
    return new VersionedItem(
        Map.of(
            "pk", AttributeValue.fromS("a"),
            "sk", AttributeValue.fromS("b"),
            "version", AttributeValue.fromN("3"),
            "write_token", AttributeValue.fromS("t3")),
        3,
        "t3",
        false);
  }

  @Test
  void keys_exactlyTheTablesKeyAttributes_nonEmpty_validNumbers() {
    assertThat(rules.validate(KEY)).isSameAs(KEY);
    refused(() -> rules.validate(ItemKey.of("pk", "a")), Reason.MISSING_KEY);
    refused(
        () ->
            rules.validate(
                ItemKey.of("pk", AttributeValue.fromS(""), "sk", AttributeValue.fromS("b"))),
        Reason.MISSING_KEY);
    refused(
        () ->
            rules.validate(
                ItemKey.of("pk", AttributeValue.fromBool(true), "sk", AttributeValue.fromS("b"))),
        Reason.MISSING_KEY);
    refused(
        () ->
            rules.validate(
                ItemKey.of(
                    "pk", AttributeValue.fromN("1E+999999999"), "sk", AttributeValue.fromS("b"))),
        Reason.INVALID_NUMBER);
  }

  @Test
  void create_noManagedOrReservedAttributes_numbersChecked() {
    refused(
        () -> rules.checkCreate(Map.of("pk", s("a"), "sk", s("b"), "version", n("1"))),
        Reason.VERSION_CHANGED);
    refused(
        () -> rules.checkCreate(Map.of("pk", s("a"), "sk", s("b"), "aws:rep:updatetime", n("1"))),
        Reason.RESERVED_ATTRIBUTE);
    refused(
        () ->
            rules.checkCreate(
                Map.of(
                    "pk",
                    s("a"),
                    "sk",
                    s("b"),
                    "m",
                    AttributeValue.fromM(Map.of("deep", AttributeValue.fromNs(List.of("NaN")))))),
        Reason.INVALID_NUMBER);
    refused(
        () ->
            rules.checkCreate(Map.of("pk", s("a"), "sk", s("b"), "big", s("x".repeat(400 * 1024)))),
        Reason.ITEM_TOO_LARGE);
  }

  @Test
  void changes_keyAndManagedUnchangedAreDropped_changedOrRemovedRefused() {
    Changes kept =
        rules.checkChanges(
            KEY,
            current(),
            Changes.builder()
                .set("pk", s("a"))
                .set("version", n("3"))
                .set("plan", s("pro"))
                .build());
    assertThat(kept.set()).containsOnlyKeys("plan");

    refused(
        () -> rules.checkChanges(KEY, current(), Changes.builder().set("sk", s("c")).build()),
        Reason.KEY_CHANGED);
    refused(
        () -> rules.checkChanges(KEY, current(), Changes.builder().remove("pk").build()),
        Reason.KEY_CHANGED);
    refused(
        () -> rules.checkChanges(KEY, current(), Changes.builder().set("version", n("9")).build()),
        Reason.VERSION_CHANGED);
    refused(
        () -> rules.checkChanges(KEY, current(), Changes.builder().remove("parent_token").build()),
        Reason.VERSION_CHANGED);
  }

  @Test
  void changes_placeholdersOfTheLibraryRefused() {
    refused(
        () ->
            rules.checkChanges(
                KEY,
                current(),
                Changes.builder()
                    .set("a", s("b"))
                    .condition("#gt_x = :v", Map.of("#gt_x", "a"), Map.of(":v", s("b")))
                    .build()),
        Reason.RESERVED_PLACEHOLDER);
    refused(
        () ->
            rules.checkChanges(
                KEY,
                current(),
                Changes.builder()
                    .set("a", s("b"))
                    .condition("#x = gt_v", Map.of("#x", "a"), Map.of("gt_v", s("b")))
                    .build()),
        Reason.RESERVED_PLACEHOLDER);
  }

  @Test
  void nextVersion_refusedAtLongMaxValue() {
    rules.checkNextVersion(Long.MAX_VALUE - 1, KEY);
    refused(() -> rules.checkNextVersion(Long.MAX_VALUE, KEY), Reason.VERSION_OVERFLOW);
  }

  @Test
  void legacyItems_refusedOnlyWhenNotAdopted() {
    VersionedItem legacy = new VersionedItem(Map.of("pk", s("a"), "sk", s("b")), 0, null, true);
    assertThat(rules.checkAdoptable(legacy, KEY)).isSameAs(legacy);
    InputRules strict = new InputRules(TABLE.toBuilder().adoptLegacyItems(false).build());
    refused(() -> strict.checkAdoptable(legacy, KEY), Reason.VERSION_MISSING);
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(String value) {
    return AttributeValue.fromN(value);
  }
}
