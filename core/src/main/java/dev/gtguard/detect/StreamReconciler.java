package dev.gtguard.detect;

import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.TableDescription;
import dev.gtguard.internal.InputRules;
import dev.gtguard.internal.ItemCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Finds every lost write from the streams of <em>all</em> regions, without a ledger. Every
 * versioned write leaves its state (version, token, and the parent token it was built on) as a new
 * image in the stream of the region that acknowledged it, so the streams together hold every
 * acknowledged state and the links between them. Once replication has settled, an item's surviving
 * history is the chain from its current token through the parent tokens; every state seen in any
 * stream and off that chain is a lost write, and its changes are the difference to its parent's
 * image.
 *
 * <p>Unlike {@link StreamDetector}, which judges one replica's records as they come (and so can
 * only flag overwrites it happens to see), this needs the records of every region's stream and the
 * settled items, and then gives the same answer as the write ledger.
 *
 * <pre>{@code
 * StreamReconciler reconciler = StreamReconciler.builder()
 *     .table(subscribers.description())
 *     .window(Duration.ofHours(1))       // an item quiet for an hour is judged and let go
 *     .onEvict(item -> item.lostWrites(settled(item.key())).forEach(alarms::raise))
 *     .build();
 * for (String region : regions) {
 *   StreamLostWritePoller.builder()...onRecords(records -> reconciler.add(region, records)).build();
 * }
 * List<LostWrite> lost = reconciler.lostWrites(settledItemsByKey); // or judge all retained now
 * }</pre>
 *
 * <p><b>Memory and the window.</b> The reconciler keeps every versioned state it was given (the
 * full image, to tell what a lost write changed), per item. Measured: about 1.4 KB of heap per
 * state for a small item (7 attributes, 174 bytes as DynamoDB counts them), so about 56 MB for
 * 40,000 records of 500 items (OpenJDK 17, compressed references; {@code
 * StreamReconcilerMemoryMeasurement} in the tests shows how). So it keeps an item only for a
 * {@linkplain Builder#window window} after the last record it received for it (default {@value
 * #DEFAULT_WINDOW_HOURS} hours, the streams' retention), by its {@linkplain Builder#clock clock};
 * an item quiet for longer is evicted when records are added or at {@link #evictExpired()}. Memory
 * is then bounded by the states of the items written within one window. Judge an item before it
 * leaves: call {@link #lostWrites} for it within the window, or give an {@linkplain Builder#onEvict
 * eviction callback}, which receives each item as it leaves, by then quiet for a whole window and
 * so most likely settled; without one, an evicted item is dropped unjudged. Choose a window longer
 * than replication takes, or a late record brings the item back with part of its history.
 *
 * <p>Deleted items: an absent item's history ends at the states that were deleted, in any replica.
 * A stream cannot tell the state a delete was checked against from a state a replicated delete
 * wiped, so a write wiped by a concurrent delete is not reported here (the write ledger reports
 * it). Streams keep records for 24 hours: run it within that window of the writes it should judge.
 * Thread-safe; the eviction callback runs on the thread that added the records, outside the lock.
 */
public final class StreamReconciler {
  /** The default window, in hours: as long as a stream keeps its records. */
  public static final long DEFAULT_WINDOW_HOURS = 24;

  private final InputRules rules;
  private final ItemCodec codec;
  private final Duration window;
  private final Clock clock;
  private final Consumer<EvictedItem> onEvict;

  /** In access order: the item whose last record is oldest comes first. */
  private final Map<ItemKey, StreamStates> items = new LinkedHashMap<>(16, 0.75f, true);

  private int states; // guarded by this

  private StreamReconciler(Builder b) {
    this.rules = new InputRules(b.table);
    this.codec = new ItemCodec(rules);
    this.window = b.window;
    this.clock = b.clock;
    this.onEvict = b.onEvict;
  }

  /** A builder; {@code table} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Adds records read from one region's stream of the table (a record seen before changes nothing
   * but the item's time), then evicts the items whose last record is older than the window.
   *
   * @throws RuntimeException what the eviction callback threw, once every evicted item was offered
   *     to it; the records were added
   */
  public void add(String region, Collection<Record> records) {
    List<StreamStates> evicted;
    synchronized (this) {
      Instant now = clock.instant();
      for (Record record : records) {
        add(region, record, now);
      }
      evicted = evict(now);
    }
    offer(evicted);
  }

  /**
   * Evicts the items whose last record is older than the window, as {@link #add} does; for when no
   * records come.
   *
   * @throws RuntimeException what the eviction callback threw, once every evicted item was offered
   */
  public void evictExpired() {
    List<StreamStates> evicted;
    synchronized (this) {
      evicted = evict(clock.instant());
    }
    offer(evicted);
  }

  /**
   * The lost writes of the items retained, given every item as it is once replication has settled
   * (by key; a key that is absent was deleted).
   */
  public synchronized List<LostWrite> lostWrites(Map<ItemKey, Map<String, AttributeValue>> items) {
    List<LostWrite> lost = new ArrayList<>();
    for (StreamStates item : this.items.values()) {
      lost.addAll(item.lostWrites(items.get(item.key())));
    }
    return lost;
  }

  /** How many items are retained. */
  public synchronized int retainedItems() {
    return items.size();
  }

  /** How many versioned states are retained, over all items: what the memory grows with. */
  public synchronized int retainedStates() {
    return states;
  }

  private void add(String region, Record record, Instant now) {
    if (record.dynamodb() == null) {
      return;
    }
    if (record.dynamodb().hasNewImage()) {
      remember(region, record.dynamodb().newImage(), now);
    }
    if (record.dynamodb().hasOldImage()) {
      Map<String, AttributeValue> oldImage = record.dynamodb().oldImage();
      StreamStates item = remember(region, oldImage, now);
      if (item != null && record.eventName() == OperationType.REMOVE) {
        item.deleted(codec.token(oldImage));
      }
    }
  }

  /** Records a versioned state; null if the image is not one (a legacy item). */
  private StreamStates remember(String region, Map<String, AttributeValue> image, Instant now) {
    String token = codec.token(image);
    Long version = codec.version(image);
    if (token == null || version == null) {
      return null;
    }
    ItemKey key = rules.keyOf(image);
    StreamStates item = items.get(key); // moves it to the end: the most recently recorded
    if (item == null) {
      item = new StreamStates(key, codec, now);
      items.put(key, item);
    }
    item.recordedAt(now);
    if (item.remember(token, version, codec.parentToken(image), image, region)) {
      states++;
    }
    return item;
  }

  private List<StreamStates> evict(Instant now) {
    Instant oldestKept = now.minus(window);
    List<StreamStates> evicted = new ArrayList<>();
    Iterator<StreamStates> oldestFirst = items.values().iterator();
    while (oldestFirst.hasNext()) {
      StreamStates item = oldestFirst.next();
      if (!item.lastRecordAt().isBefore(oldestKept)) {
        break; // this one and all after it had a record within the window
      }
      oldestFirst.remove();
      states -= item.states();
      evicted.add(item);
    }
    return evicted;
  }

  private void offer(List<StreamStates> evicted) {
    if (onEvict == null) {
      return;
    }
    RuntimeException failure = null;
    for (StreamStates item : evicted) {
      try {
        onEvict.accept(new EvictedItem(item));
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Builds a {@link StreamReconciler}; each setter validates its argument at once. */
  public static final class Builder {
    private TableDescription table;
    private Duration window = Duration.ofHours(DEFAULT_WINDOW_HOURS);
    private Clock clock = Clock.systemUTC();
    private Consumer<EvictedItem> onEvict;

    private Builder() {}

    /** The table: its keys and managed attributes. Required. */
    public Builder table(TableDescription table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /**
     * How long an item is kept after the last record received for it. Default {@value
     * StreamReconciler#DEFAULT_WINDOW_HOURS} hours.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder window(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("window must be positive, was " + window);
      }
      this.window = window;
      return this;
    }

    /** The clock that times the window. Default the system clock (UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Receives each item as it leaves the window, to judge it ({@link EvictedItem#lostWrites}).
     * Default none: an evicted item is dropped unjudged.
     */
    public Builder onEvict(Consumer<EvictedItem> onEvict) {
      this.onEvict = Objects.requireNonNull(onEvict, "onEvict");
      return this;
    }

    /**
     * @throws IllegalStateException if the table is missing
     */
    public StreamReconciler build() {
      if (table == null) {
        throw new IllegalStateException("table is required");
      }
      return new StreamReconciler(this);
    }
  }
}
