package dev.gtguard.internal.write;

import dev.gtguard.Changes;
import dev.gtguard.ExpectedVersion;
import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.VersionedItem;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.exception.WriteInterruptedException;
import dev.gtguard.internal.InputRules;
import dev.gtguard.internal.VersionedItems;
import dev.gtguard.internal.write.WriteLoop.Written;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spi.WriteOperation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The read-modify-retry update of several callers of one process on one item, as one write: each
 * attempt applies their functions one after another, each to the item as the ones before it left
 * it, and sends the merged changes in one conditional {@code UpdateItem}. A conflict is retried as
 * any update is, every function applied again to the item as it is now.
 *
 * <p>Each attempt records which callers it carries, so that every caller is answered from what
 * happened to its own changes: stored with the attempt that applied; its own exception if its
 * function (or the check of its changes) threw; "outcome unknown" only when an attempt whose
 * outcome is open carries it. A caller whose changes carry their own condition cannot share a write
 * (the condition is about the item as stored, not as the callers before it left it): it runs in a
 * batch of its own next.
 */
final class CombinedUpdatePlan implements WritePlan {
  /** What became of a caller when the batch ended. */
  enum Answer {
    /** Its future is complete. */
    ANSWERED,
    /** Nothing of it was written and it still waits: it goes back to the queue. */
    REQUEUED,
    /** As {@link #REQUEUED}, in a batch of its own. */
    ALONE
  }

  private final InputRules rules;
  private final Router router;
  private final NextWriteCheck nextWrite;
  private final WriteListener listeners;
  private final ItemKey key;
  private final Base start;
  private final List<CombinedCaller<?>> callers;
  private final boolean shared;

  /** The losses told to the listeners (several callers may hold one state); null when alone. */
  private final Set<String> reported;

  /** The callers each attempt carries; null when alone (an attempt carries the one caller). */
  private final Map<String, List<CombinedCaller<?>>> carried;

  private volatile String region;

  CombinedUpdatePlan(
      InputRules rules,
      Router router,
      NextWriteCheck nextWrite,
      WriteListener listeners,
      ItemKey key,
      Base start,
      List<CombinedCaller<?>> callers) {
    this.rules = rules;
    this.router = router;
    this.nextWrite = nextWrite;
    this.listeners = listeners;
    this.key = key;
    this.start = start;
    this.callers = List.copyOf(callers);
    this.shared = callers.size() > 1;
    this.reported = shared ? ConcurrentHashMap.newKeySet() : null;
    this.carried = shared ? new ConcurrentHashMap<>() : null;
  }

  @Override
  public WriteOperation operation() {
    return WriteOperation.UPDATE;
  }

  @Override
  public ItemKey key() {
    return key;
  }

  /**
   * A caller alone starts from its held item (the loop checks it for a loss on a conflict, as for a
   * single update); several read first, and each held state is checked against the state read.
   */
  @Override
  public Base start() {
    return start;
  }

  @Override
  public ExpectedVersion expected() {
    return null;
  }

  @Override
  public boolean retriesConflicts() {
    return true;
  }

  @Override
  public VersionedWrite next(Base base, Route route, String token) {
    region = route.region();
    VersionedItem view = base.state();
    Changes.Builder merged = shared ? Changes.builder() : null;
    Changes written = null;
    List<CombinedCaller<?>> carries = new ArrayList<>(callers.size());
    for (CombinedCaller<?> caller : callers) {
      if (!caller.evaluate(token)) {
        continue;
      }
      if (caller.firstEvaluation()) {
        checkHeld(caller, route.region(), base.state());
      }
      Changes changes;
      try {
        changes = rules.checkChanges(key, view, caller.function.apply(view));
        if (router != null) {
          router.checkNewHome(key, changes);
        }
      } catch (RuntimeException e) {
        caller.failed(e);
        continue;
      }
      if (shared && changes.condition().isPresent()) {
        caller.alone();
        continue;
      }
      if (changes.isEmpty()) {
        caller.unchanged();
        continue;
      }
      carries.add(caller);
      if (shared) { // (changes with a condition of their own were sent to a batch of their own)
        changes.set().forEach(merged::set);
        changes.remove().forEach(merged::remove);
        view = applied(view, changes);
      } else {
        written = changes; // a caller alone: its changes as they are, condition and all
      }
    }
    if (carries.isEmpty()) {
      return null;
    }
    if (shared) {
      carried.put(token, Collections.unmodifiableList(carries));
      written = merged.build();
    }
    rules.checkNextVersion(base.expected().version(), key);
    return VersionedWrite.update(rules.table(), key, base.expected(), written, token, route);
  }

  /**
   * Next-write detection for a caller's held state, as a single update from it would do on the item
   * it finds: each loss reported once per batch, and returned with the caller's result.
   */
  private void checkHeld(CombinedCaller<?> caller, String region, VersionedItem found) {
    LostWrite loss = nextWrite.check(key, region, caller.held, found);
    if (loss == null) {
      return;
    }
    caller.lost(loss);
    if (reported == null || reported.add(loss.writeToken())) {
      listeners.onLostWrite(loss);
    }
  }

  /**
   * The callers the attempt storing {@code token} carries (1 for an attempt not of this plan, or of
   * a caller alone).
   */
  @Override
  public int callers(String token) {
    List<CombinedCaller<?>> those = token == null || carried == null ? null : carried.get(token);
    return those == null ? 1 : those.size();
  }

  /** The item as the next caller's function sees it: {@code changes} applied, same version. */
  private static VersionedItem applied(VersionedItem item, Changes changes) {
    Map<String, AttributeValue> attributes = new LinkedHashMap<>(item.attributes());
    attributes.putAll(changes.set());
    changes.remove().forEach(attributes::remove);
    return VersionedItems.owned(
        attributes, item.version(), item.writeToken().orElse(null), item.isLegacy());
  }

  /**
   * Answers {@code caller} after the batch wrote {@code written} (an item stored by one of its
   * attempts, or the state it found nothing to write to).
   */
  Answer succeeded(CombinedCaller<?> caller, Written written) {
    if (!shared) { // a caller alone is answered as a single update is
      return caller.failure() != null
          ? answer(caller, null, caller.failure())
          : answer(
              caller, new Written(written.item(), written.attempts(), lost(written, caller)), null);
    }
    VersionedItem item = written.item();
    Optional<String> stored = item == null ? Optional.empty() : item.writeToken();
    if (stored.isPresent() && caller.tokens().contains(stored.get())) {
      return answer(caller, new Written(item, written.attempts(), lost(written, caller)), null);
    }
    if (caller.failure() != null) {
      return answer(caller, null, caller.failure());
    }
    if (caller.needsOwnBatch()) {
      return Answer.ALONE;
    }
    return answer(caller, new Written(item, 0, lost(written, caller)), null);
  }

  /**
   * The losses to tell {@code caller} of: those its held state showed, and (a caller alone, whose
   * held item was the write's base) those the loop found on a conflict.
   */
  private List<LostWrite> lost(Written written, CombinedCaller<?> caller) {
    if (written.lost().isEmpty()) {
      return caller.lost();
    }
    List<LostWrite> all = new ArrayList<>(written.lost());
    all.addAll(caller.lost());
    return all;
  }

  /**
   * Answers {@code caller} after the batch ended with {@code error}. A caller whose changes no
   * attempt left open carries is not written: its own failure, if its function threw; back to the
   * queue if the batch ended for a reason of another caller's thread (its interrupt) or left the
   * outcome of other callers' changes open; else the batch's failure, which is about the item.
   *
   * @param driver whether {@code caller}'s thread ran the batch (its interrupt is its own)
   */
  Answer failed(CombinedCaller<?> caller, Throwable error, boolean driver) {
    if (!shared) { // a caller alone: the write's end is its own
      return answer(caller, null, caller.failure() != null ? caller.failure() : error);
    }
    List<String> mine = caller.tokens();
    if (error instanceof OutcomeUnknownException u) {
      if (u.writeTokens().stream().anyMatch(mine::contains)) {
        return answer(caller, null, unknown(caller, u.getCause()));
      }
      return notWritten(caller, null);
    }
    if (error instanceof WriteInterruptedException w && !driver) {
      if (w.mayHaveBeenApplied() && !mine.isEmpty()) {
        return answer(caller, null, unknown(caller, w));
      }
      return notWritten(caller, null);
    }
    return notWritten(caller, error);
  }

  private Answer notWritten(CombinedCaller<?> caller, Throwable error) {
    if (caller.failure() != null) {
      return answer(caller, null, caller.failure());
    }
    if (caller.needsOwnBatch()) {
      return Answer.ALONE;
    }
    if (error == null) {
      return Answer.REQUEUED;
    }
    return answer(caller, null, error);
  }

  private static Answer answer(CombinedCaller<?> caller, Written written, Throwable error) {
    if (caller.finish()) { // a caller that withdrew was answered then
      if (error == null) {
        caller.future.succeed(written);
      } else {
        caller.future.fail(error);
      }
    }
    return Answer.ANSWERED;
  }

  /** "Outcome unknown" for {@code caller}: the attempts that may carry its changes. */
  OutcomeUnknownException unknown(CombinedCaller<?> caller, Throwable cause) {
    String where = region == null ? router.localRegion() : region;
    return new OutcomeUnknownException(
        rules.table().tableName(), key, where, WriteOperation.UPDATE, caller.tokens(), cause);
  }
}
