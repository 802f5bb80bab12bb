package dev.gtguard.internal.ledger;

import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One ledger entry as read back: one acknowledged versioned write.
 *
 * @param sortKey the entry's ULID: its time of writing, and its order
 * @param operation {@code CREATE}, {@code UPDATE} or {@code DELETE}
 * @param parent the token of the state the write was built on; null for a create, and for an update
 *     of a state written without a token (an adopted legacy item)
 * @param reapplies for a repair, the token of the lost write it re-applies; else null
 * @param verified whether the entry's MAC verifies; null when the ledger does not sign entries
 */
public record LedgerEntry(
    String sortKey,
    ItemKey key,
    String operation,
    long version,
    String token,
    String parent,
    String region,
    Map<String, AttributeValue> set,
    List<String> remove,
    boolean failover,
    String reapplies,
    Boolean verified) {

  public boolean isCreate() {
    return "CREATE".equals(operation);
  }

  public boolean isDelete() {
    return "DELETE".equals(operation);
  }

  /** What the write set and removed. */
  public Changes changes() {
    Changes.Builder changes = Changes.builder();
    set.forEach(changes::set);
    remove.forEach(changes::remove);
    return changes.build();
  }
}
