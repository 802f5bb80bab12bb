package dev.gtguard.internal.write;

import dev.gtguard.Changes;
import dev.gtguard.ExpectedVersion;
import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.UpdateFunction;
import dev.gtguard.VersionedItem;
import dev.gtguard.internal.InputRules;
import dev.gtguard.internal.write.Router.Routed;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Each public write of a table as a plan and where it starts: the argument checks, the routing and
 * the plan, in one place for the blocking and the asynchronous tables. Every method checks its
 * input and sends nothing.
 */
public final class WriteRequests {
  /**
   * One write, ready for {@link WriteLoop}.
   *
   * @param routed where it starts, or {@code null} to route it by its key
   */
  public record Request(WritePlan plan, Routed routed) {}

  private final InputRules rules;
  private final Router router;
  private final boolean ledger;

  WriteRequests(InputRules rules, Router router, boolean ledger) {
    this.rules = rules;
    this.router = router;
    this.ledger = ledger;
  }

  /** A create, in the item's home (or, for items that name their own home, its creation home). */
  public Request create(Map<String, AttributeValue> item) {
    Objects.requireNonNull(item, "item");
    ItemKey key = rules.checkCreate(item);
    return new Request(
        Plans.create(rules, key, Map.copyOf(item)),
        new Routed(router.toCreate(router.creationHomeOf(key, item)), -1));
  }

  /** Read-modify-retry of the item with this key, in its home. */
  public Request update(ItemKey key, UpdateFunction function) {
    checkUpdate(key, function);
    return new Request(Plans.update(rules, router, key, null, function), null);
  }

  /** Read-modify-retry from a held item, in the home it names. */
  public Request update(VersionedItem held, UpdateFunction function) {
    ItemKey key = checkUpdate(held, function);
    return new Request(Plans.update(rules, router, key, held, function), routedFrom(key, held));
  }

  /**
   * The key of an update of a held item, once its arguments are checked as {@link
   * #update(VersionedItem, UpdateFunction)} checks them.
   */
  public ItemKey checkUpdate(VersionedItem held, UpdateFunction function) {
    Objects.requireNonNull(held, "held");
    Objects.requireNonNull(function, "function");
    ItemKey key = rules.keyOf(held.attributes());
    rules.checkAdoptable(held, key);
    return key;
  }

  /** Checks the arguments as {@link #update(ItemKey, UpdateFunction)} does. */
  public ItemKey checkUpdate(ItemKey key, UpdateFunction function) {
    rules.validate(key);
    Objects.requireNonNull(function, "function");
    return key;
  }

  /**
   * One write that carries several callers' read-modify-retry updates of one item ({@link
   * UpdateCombiner}), sent where the first caller's held item names (or found by the key). A caller
   * alone starts from its held item, as a single update does; several read the item first.
   */
  Request combined(ItemKey key, List<CombinedCaller<?>> callers, WriteLoop loop) {
    VersionedItem held = callers.get(0).held;
    Base start = held != null && callers.size() == 1 ? Base.of(held) : null;
    return new Request(
        new CombinedUpdatePlan(rules, router, loop.nextWrite, loop.listeners, key, start, callers),
        held == null ? null : routedFrom(key, held));
  }

  /** Where a write from a held item starts: the home it names. */
  private Routed routedFrom(ItemKey key, VersionedItem held) {
    return new Routed(
        router.to(router.homeOf(key, held.attributes())), router.needsItem() ? held.version() : -1);
  }

  String tableName() {
    return rules.table().tableName();
  }

  String localRegion() {
    return router.localRegion();
  }

  /** A single-shot update; with a ledger the item is read first. */
  public Request update(ItemKey key, ExpectedVersion expected, Changes changes) {
    rules.validate(key);
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(changes, "changes");
    return new Request(Plans.singleShot(rules, router, key, expected, changes, ledger, null), null);
  }

  /**
   * The re-application of a lost write's remaining changes, conditional on the state it was judged
   * against.
   *
   * @throws IllegalArgumentException if the loss has nothing to re-apply, or no surviving state to
   *     be conditional on
   */
  public Request repair(LostWrite lost) {
    Objects.requireNonNull(lost, "lost");
    if (lost.superseded() || lost.survivingToken() == null) {
      throw new IllegalArgumentException(
          lost.superseded()
              ? "nothing to re-apply: later writes rewrote everything it changed"
              : "no surviving state to repair conditionally on");
    }
    ExpectedVersion judged = ExpectedVersion.of(lost.survivingVersion(), lost.survivingToken());
    return new Request(
        Plans.singleShot(
            rules,
            router,
            rules.validate(lost.key()),
            judged,
            lost.changes(),
            ledger,
            lost.writeToken()),
        null);
  }

  /** A delete at the expected version and token, in the item's home. */
  public Request delete(ItemKey key, ExpectedVersion expected) {
    rules.validate(key);
    Objects.requireNonNull(expected, "expected");
    return new Request(Plans.delete(rules, key, expected), null);
  }

  /**
   * The move of an item's home (attribute strategy only).
   *
   * @throws IllegalStateException if items do not name their home
   */
  public Request moveHome(ItemKey key, String newHome) {
    String attribute = router.homeAttribute();
    if (attribute == null) {
      throw new IllegalStateException(
          "moveHome needs HomeRegionStrategy.attribute(...); this table's home is a function of"
              + " the key");
    }
    router.check(key, newHome);
    return update(key, item -> Changes.builder().set(attribute, newHome).build());
  }
}
