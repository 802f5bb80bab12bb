package dev.gtguard.detect;

import com.github.f4b6a3.ulid.Ulid;
import com.github.f4b6a3.ulid.UlidCreator;
import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.TableDescription;
import dev.gtguard.VersionedItem;
import dev.gtguard.internal.ItemCodec;
import dev.gtguard.internal.ledger.ItemHistory;
import dev.gtguard.internal.ledger.ItemHistory.Judgement;
import dev.gtguard.internal.ledger.ItemHistory.Loss;
import dev.gtguard.internal.ledger.LedgerEntry;
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
final class StreamStates {
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

  StreamStates(ItemKey key, ItemCodec codec, Instant lastRecordAt) {
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

  /**
   * The lost writes, given the item as it settled ({@code current} null if it was deleted), judged
   * as the ledger reconciler judges its entries ({@link dev.gtguard.internal.ledger.ItemHistory}):
   * each state is an entry (write tokens are ULIDs, so they order like ledger sort keys), each
   * delete an entry just after the state it removed. A state written without the library, a delete
   * followed by a re-create, a TTL delete: boundaries and incarnations, never false losses.
   */
  List<LostWrite> lostWrites(Map<String, AttributeValue> current) {
    List<LedgerEntry> entries = new ArrayList<>();
    for (State state : states.values()) {
      State parent = state.parent() == null ? null : states.get(state.parent());
      Changes changes =
          codec.changesBetween(parent == null ? Map.of() : parent.image(), state.image());
      boolean create = state.parent() == null && state.version() == 1;
      entries.add(entry(order(state), create ? "CREATE" : "UPDATE", state, changes));
    }
    for (String token : deleted) {
      State removed = states.get(token);
      entries.add(entry(justAfter(removed), "DELETE", removed, Changes.none()));
    }
    VersionedItem settled = current == null ? null : codec.read(current, key);
    Judgement judgement =
        ItemHistory.judge(entries, settled, current == null ? null : codec.parentToken(current));
    List<LostWrite> lost = new ArrayList<>();
    for (Loss loss : judgement.losses()) {
      State state = states.get(loss.entry().token());
      if (state != null) { // a delete that lost is the ledger's to report: it has no image here
        lost.add(lostWrite(state, settled, loss.remaining()));
      }
    }
    return lost;
  }

  private LedgerEntry entry(String sortKey, String operation, State state, Changes changes) {
    boolean delete = "DELETE".equals(operation);
    return new LedgerEntry(
        sortKey,
        key,
        operation,
        delete ? state.version() + 1 : state.version(),
        delete ? sortKey : state.token(),
        delete ? state.token() : state.parent(),
        state.region(),
        changes.set(),
        List.copyOf(changes.remove()),
        false,
        null,
        null);
  }

  /**
   * Where a state falls in time: its token, a ULID, for states this library wrote; by version for
   * tokens that are not ULIDs.
   */
  private static String order(State state) {
    return Ulid.isValid(state.token())
        ? state.token()
        : String.format("%020d:%s", state.version(), state.token());
  }

  /** Just after {@code state}: when its delete happened, as far as the order goes. */
  private static String justAfter(State state) {
    return Ulid.isValid(state.token())
        ? UlidCreator.getUlid(Ulid.from(state.token()).getTime() + 1).toString()
        : order(state) + "~";
  }

  private LostWrite lostWrite(State state, VersionedItem settled, Changes remaining) {
    return new LostWrite(
        table.tableName(),
        key,
        state.region(),
        state.version(),
        state.token(),
        settled == null ? -1 : settled.version(),
        settled == null ? null : settled.writeToken().orElse(null),
        state.image(),
        remaining,
        LostWrite.Source.STREAM);
  }
}
