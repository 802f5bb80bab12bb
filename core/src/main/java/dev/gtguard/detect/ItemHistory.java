package dev.gtguard.detect;

import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.TableDescription;
import dev.gtguard.internal.ItemCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every versioned state of one item seen in the streams of any region, with its parent link, and
 * the judgement of which of them were lost once the item has settled. Not thread-safe: a {@link
 * StreamReconciler} guards it while it is retained; once evicted, nothing else touches it.
 */
final class ItemHistory {
  /** One acknowledged state; the first region whose stream showed it is kept. */
  private record State(
      String token,
      long version,
      String parent,
      Map<String, AttributeValue> image,
      String region) {}

  private final ItemKey key;
  private final TableDescription table;
  private final ItemCodec codec;
  private final Map<String, State> states = new HashMap<>();
  private final Set<String> deleted = new HashSet<>();
  private Instant lastRecordAt;

  ItemHistory(ItemKey key, ItemCodec codec, Instant lastRecordAt) {
    this.key = key;
    this.table = codec.table();
    this.codec = codec;
    this.lastRecordAt = lastRecordAt;
  }

  ItemKey key() {
    return key;
  }

  Instant lastRecordAt() {
    return lastRecordAt;
  }

  void recordedAt(Instant at) {
    lastRecordAt = at;
  }

  int states() {
    return states.size();
  }

  /**
   * Remembers a versioned state once; a state already known keeps its first region. True if it was
   * new.
   */
  boolean remember(
      String token, long version, String parent, Map<String, AttributeValue> image, String region) {
    if (states.containsKey(token)) {
      return false;
    }
    states.put(token, new State(token, version, parent, Map.copyOf(image), region));
    return true;
  }

  /** The state with this token was deleted, in some replica. */
  void deleted(String token) {
    if (states.containsKey(token)) {
      deleted.add(token);
    }
  }

  /** The lost writes, given the item as it settled; {@code current} null if it was deleted. */
  List<LostWrite> lostWrites(Map<String, AttributeValue> current) {
    Set<String> survivors = new HashSet<>();
    AttributeValue currentToken = current == null ? null : current.get(table.tokenAttribute());
    if (currentToken != null) {
      follow(currentToken.s(), survivors);
    } else {
      deleted.forEach(t -> follow(t, survivors));
    }
    List<LostWrite> lost = new ArrayList<>();
    for (State state : states.values()) {
      if (!survivors.contains(state.token())) {
        lost.add(lostWrite(state, current, currentToken));
      }
    }
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
    Long version = current == null ? null : codec.version(current);
    return new LostWrite(
        table.tableName(),
        key,
        state.region(),
        state.version(),
        state.token(),
        version == null ? -1 : version,
        currentToken == null ? null : currentToken.s(),
        state.image(),
        // What this write changed relative to the state it was built on.
        codec.changesBetween(parent == null ? Map.of() : parent.image(), state.image()),
        LostWrite.Source.STREAM);
  }
}
