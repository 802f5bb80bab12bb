package dev.gtguard.detect;

import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.TableDescription;
import dev.gtguard.internal.InputRules;
import dev.gtguard.internal.ItemCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 * StreamReconciler reconciler = StreamReconciler.builder().table(subscribers.description()).build();
 * for (String region : regions) {
 *   StreamLostWritePoller.builder()...onRecords(records -> reconciler.add(region, records)).build().pollOnce();
 * }
 * List<LostWrite> lost = reconciler.lostWrites(settledItemsByKey);
 * }</pre>
 *
 * <p>Deleted items: an absent item's history ends at the states that were deleted, in any replica.
 * A stream cannot tell the state a delete was checked against from a state a replicated delete
 * wiped, so a write wiped by a concurrent delete is not reported here (the write ledger reports
 * it). Streams keep records for 24 hours: run it within that window of the writes it should judge.
 */
public final class StreamReconciler {
  private record State(
      ItemKey key,
      String token,
      long version,
      String parent,
      Map<String, AttributeValue> image,
      String region) {}

  private final TableDescription table;
  private final InputRules rules;
  private final ItemCodec codec;
  private final Map<String, State> states = new HashMap<>();
  private final Map<ItemKey, Set<String>> tokensByItem = new HashMap<>();
  private final Set<String> deleted = new HashSet<>();

  private StreamReconciler(Builder b) {
    this.table = b.table;
    this.rules = new InputRules(table);
    this.codec = new ItemCodec(rules);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Adds records read from one region's stream of the table. */
  public synchronized void add(String region, Collection<Record> records) {
    for (Record record : records) {
      if (record.dynamodb() == null) {
        continue;
      }
      if (record.dynamodb().hasNewImage()) {
        remember(region, record.dynamodb().newImage());
      }
      if (record.dynamodb().hasOldImage()) {
        State old = remember(region, record.dynamodb().oldImage());
        if (old != null && record.eventName() == OperationType.REMOVE) {
          deleted.add(old.token());
        }
      }
    }
  }

  /**
   * The lost writes, given every item as it is once replication has settled (by key; a key that is
   * absent was deleted).
   */
  public synchronized List<LostWrite> lostWrites(Map<ItemKey, Map<String, AttributeValue>> items) {
    List<LostWrite> lost = new ArrayList<>();
    tokensByItem.forEach(
        (key, tokens) -> {
          Map<String, AttributeValue> current = items.get(key);
          Set<String> survivors = new HashSet<>();
          AttributeValue currentToken =
              current == null ? null : current.get(table.tokenAttribute());
          if (currentToken != null) {
            follow(currentToken.s(), survivors);
          } else {
            tokens.stream().filter(deleted::contains).forEach(t -> follow(t, survivors));
          }
          for (String token : tokens) {
            if (!survivors.contains(token)) {
              lost.add(lostWrite(states.get(token), current, currentToken));
            }
          }
        });
    return lost;
  }

  private void follow(String token, Set<String> survivors) {
    State state = states.get(token);
    while (state != null && survivors.add(state.token())) {
      state = state.parent() == null ? null : states.get(state.parent());
    }
  }

  private LostWrite lostWrite(
      State state, Map<String, AttributeValue> current, AttributeValue currentToken) {
    State parent = state.parent() == null ? null : states.get(state.parent());
    long survivingVersion = -1;
    Long version = current == null ? null : codec.version(current);
    if (version != null) {
      survivingVersion = version;
    }
    return new LostWrite(
        table.tableName(),
        state.key(),
        state.region(),
        state.version(),
        state.token(),
        survivingVersion,
        currentToken == null ? null : currentToken.s(),
        state.image(),
        // What this write changed relative to the state it was built on.
        codec.changesBetween(parent == null ? Map.of() : parent.image(), state.image()),
        LostWrite.Source.STREAM);
  }

  /** Records a versioned state; the first region whose stream showed it is kept. */
  private State remember(String region, Map<String, AttributeValue> image) {
    String token = codec.token(image);
    Long version = codec.version(image);
    if (token == null || version == null) {
      return null;
    }
    State known = states.get(token);
    if (known != null) {
      return known;
    }
    ItemKey key = rules.keyOf(image);
    State state =
        new State(key, token, version, codec.parentToken(image), Map.copyOf(image), region);
    states.put(token, state);
    tokensByItem.computeIfAbsent(key, k -> new HashSet<>()).add(token);
    return state;
  }

  /** Builds a {@link StreamReconciler}. */
  public static final class Builder {
    private TableDescription table;

    private Builder() {}

    /** The table: its keys and managed attributes. Required. */
    public Builder table(TableDescription table) {
      this.table = Objects.requireNonNull(table, "table");
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
