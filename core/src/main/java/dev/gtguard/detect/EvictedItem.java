package dev.gtguard.detect;

import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's history as it leaves a {@link StreamReconciler}'s window: its last record came longer
 * ago than the window, so it has most likely settled. Judge it now, or never: the reconciler no
 * longer holds it.
 *
 * <pre>{@code
 * StreamReconciler.builder()
 *     .table(subscribers.description())
 *     .window(Duration.ofHours(1))
 *     .onEvict(item -> item.lostWrites(settled(item.key())).forEach(alarms::raise))
 *     .build();
 * }</pre>
 *
 * <p>Self-contained: it may be kept and judged later, on any thread, once.
 */
public final class EvictedItem {
  private final StreamStates history;

  EvictedItem(StreamStates history) {
    this.history = history;
  }

  /** The item's key. */
  public ItemKey key() {
    return history.key();
  }

  /** When the reconciler received the item's last record, by its clock. */
  public Instant lastRecordAt() {
    return history.lastRecordAt();
  }

  /** How many versioned states of the item the streams showed. */
  public int states() {
    return history.states();
  }

  /**
   * The item's lost writes, as {@link StreamReconciler#lostWrites} judges them.
   *
   * @param settledItem the item as it is once replication has settled (a strongly consistent {@code
   *     GetItem}); null if it was deleted
   */
  public synchronized List<LostWrite> lostWrites(Map<String, AttributeValue> settledItem) {
    return history.lostWrites(settledItem);
  }

  @Override
  public String toString() {
    return "EvictedItem{"
        + key()
        + ", "
        + states()
        + " states, last record "
        + lastRecordAt()
        + "}";
  }
}
