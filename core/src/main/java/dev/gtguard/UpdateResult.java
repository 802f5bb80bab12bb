package dev.gtguard;

import java.util.List;

/**
 * What an acknowledged update wrote.
 *
 * <pre>{@code
 * UpdateResult result = table.update(key, item -> changes);
 * long newVersion = result.item().version();
 * int attempts = result.attempts(); // 1 unless another writer got in between
 * }</pre>
 *
 * @param item the item as stored after the write (or, when the changes were empty, as read)
 * @param attempts how many conditional writes were sent: 1 without contention, 0 when there was
 *     nothing to write
 * @param lostWrites writes this update found overwritten by replication on its way (see {@link
 *     VersionedItem#writtenIn()}); they were also reported to the table's listeners
 */
public record UpdateResult(VersionedItem item, int attempts, List<LostWrite> lostWrites) {

  public UpdateResult {
    lostWrites = List.copyOf(lostWrites);
  }

  public UpdateResult(VersionedItem item, int attempts) {
    this(item, attempts, List.of());
  }

  /** Whether nothing was written because the function returned no changes. */
  public boolean unchanged() {
    return attempts == 0;
  }
}
