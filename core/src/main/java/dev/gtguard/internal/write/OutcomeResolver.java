package dev.gtguard.internal.write;

import dev.gtguard.VersionedItem;
import dev.gtguard.internal.ItemCodec;
import dev.gtguard.internal.VersionedItems;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Decides, from the item as it is now, whether attempts whose response was lost were applied. Every
 * attempt stores its own fresh token and records its base's token as its parent, and in one region
 * an item's history is a line (each write is conditional on the state before it):
 *
 * <ol>
 *   <li>the item's token is one of ours: applied, and this is the state it stored;
 *   <li>the item's parent token is one of ours: applied, and another write already built on it;
 *   <li>the item is still the base our attempts were built on: not applied yet. Sending again is
 *       safe: both attempts expect that base, so at most one can ever apply;
 *   <li>the item's parent is the base: another write took the base's place, so ours did not apply
 *       and never will;
 *   <li>the write ledger holds one of our entries, or none (a transaction commits both or neither):
 *       applied or not;
 *   <li>otherwise: unknown.
 * </ol>
 *
 * All attempts in {@code mine} share one base: the loop only sends again on the same base.
 */
final class OutcomeResolver {
  enum Verdict {
    APPLIED,
    NOT_YET,
    NOT_APPLIED,
    UNKNOWN
  }

  /**
   * @param verdict what became of our attempts
   * @param stored for {@code APPLIED}, the state our applied attempt stored (null for a delete)
   */
  record Resolution(Verdict verdict, VersionedItem stored) {}

  private final ItemCodec codec;
  private final WriteExecutor executor;

  OutcomeResolver(ItemCodec codec, WriteExecutor executor) {
    this.codec = codec;
    this.executor = executor;
  }

  /**
   * @param now the item as it is now in {@code route}'s region, or null if it is absent
   * @param base the state every attempt in {@code mine} was built on
   * @param mine the attempts that may have been applied
   */
  CompletableFuture<Resolution> resolve(
      VersionedItem now, Base base, List<VersionedWrite> mine, Route route) {
    Resolution known = fromItem(now, base, mine, route);
    if (known != null || !executor.proves()) {
      return CompletableFuture.completedFuture(
          known != null ? known : new Resolution(Verdict.UNKNOWN, null));
    }
    return executor
        .committed(route, mine)
        .thenApply(
            committed -> {
              if (committed == null) {
                return new Resolution(Verdict.UNKNOWN, null);
              }
              return committed.isEmpty()
                  ? new Resolution(Verdict.NOT_APPLIED, null)
                  : applied(storedBy(committed.get(0), base, now, route));
            });
  }

  /** Rules 1 to 4: what the item alone tells, or {@code null}. */
  private Resolution fromItem(
      VersionedItem now, Base base, List<VersionedWrite> mine, Route route) {
    String parent = now == null ? null : codec.parentToken(now.attributes());
    if (now != null) {
      for (VersionedWrite attempt : mine) {
        if (now.writeToken().map(attempt.token()::equals).orElse(false)) {
          return applied(VersionedItems.acknowledged(now, route.region(), attempt.changes()));
        }
      }
      for (VersionedWrite attempt : mine) {
        if (attempt.token().equals(parent)) {
          return applied(storedBy(attempt, base, now, route));
        }
      }
    }
    if (base.matches(now)) {
      return new Resolution(Verdict.NOT_YET, null);
    }
    if (now != null
        && base.expected() != null
        && base.expected().token() != null
        && base.expected().token().equals(parent)) {
      return new Resolution(Verdict.NOT_APPLIED, null);
    }
    return null;
  }

  /**
   * The state an applied attempt stored, when the item has moved on since: the base plus its
   * changes. A single-shot update without a ledger holds no base; its unchanged attributes are then
   * taken from the item as it is now (documented on that method).
   */
  private VersionedItem storedBy(
      VersionedWrite attempt, Base base, VersionedItem now, Route route) {
    Map<String, AttributeValue> stored =
        switch (attempt.operation()) {
          case CREATE -> attempt.item();
          case UPDATE ->
              codec.applied(
                  base.state() != null ? base.state().attributes() : now.attributes(),
                  attempt.parentToken(),
                  attempt.changes(),
                  attempt.version(),
                  attempt.token());
          default -> null;
        };
    if (stored == null) {
      return null;
    }
    return VersionedItems.acknowledged(
        codec.read(stored, attempt.key()), route.region(), attempt.changes());
  }

  private static Resolution applied(VersionedItem stored) {
    return new Resolution(Verdict.APPLIED, stored);
  }
}
