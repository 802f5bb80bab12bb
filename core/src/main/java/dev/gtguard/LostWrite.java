package dev.gtguard;

import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An acknowledged write that Global Tables' last-writer-wins replication silently overwrote: which
 * write it was, where, and what to re-apply.
 *
 * <pre>{@code
 * WriteListener alarms = new WriteListener() {
 *   @Override public void onLostWrite(LostWrite lost) {
 *     log.error("lost {} v{} in {}: re-apply {}", lost.key(), lost.version(), lost.region(), lost.changes());
 *   }
 * };
 * }</pre>
 *
 * @param tableName the table
 * @param key the item's key
 * @param region the region the loss was seen in: for {@link Source#STREAM}, the replica whose
 *     stream showed the overwrite; for {@link Source#LEDGER} and {@link Source#NEXT_WRITE}, the
 *     region that acknowledged the lost write
 * @param version the lost write's version
 * @param writeToken the lost write's token, unique per write: the identity of the loss
 * @param survivingVersion the version of the state that replaced it
 * @param survivingToken the token of the state that replaced it, if known
 * @param lostItem the item as the lost write left it, or an empty map when not known
 * @param changes what to re-apply: for {@link Source#LEDGER}, exactly what the lost write set and
 *     removed; otherwise the attributes whose values differ between the lost and the surviving
 *     state
 * @param source how the loss was found
 */
public record LostWrite(
    String tableName,
    ItemKey key,
    String region,
    long version,
    String writeToken,
    long survivingVersion,
    String survivingToken,
    Map<String, AttributeValue> lostItem,
    Changes changes,
    Source source) {

  /** How a loss was found. */
  public enum Source {
    /** The writer's next write found another state at the version it had written. */
    NEXT_WRITE,
    /** A stream record showed a replicated write replacing a state of equal or higher version. */
    STREAM,
    /** The write ledger holds an acknowledged write that is not in the item's surviving history. */
    LEDGER
  }

  /** Whether later surviving writes rewrote everything this write changed: nothing to re-apply. */
  public boolean superseded() {
    return changes.isEmpty();
  }

  public LostWrite {
    Objects.requireNonNull(tableName, "tableName");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(writeToken, "writeToken");
    lostItem = lostItem == null ? Map.of() : Map.copyOf(lostItem);
    Objects.requireNonNull(changes, "changes");
    Objects.requireNonNull(source, "source");
  }

  /** Which write, where, and the names of what it changed; never item values. */
  @Override
  public String toString() {
    return "LostWrite{"
        + source
        + " "
        + tableName
        + " "
        + key
        + " version "
        + version
        + " token "
        + writeToken
        + " in "
        + region
        + ", replaced by version "
        + survivingVersion
        + " token "
        + survivingToken
        + ", set "
        + changes.set().keySet()
        + " removed "
        + changes.remove()
        + "}";
  }
}
