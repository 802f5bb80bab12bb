package dev.gtguard.internal.write;

import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.VersionedItem;
import dev.gtguard.internal.ItemCodec;
import dev.gtguard.internal.VersionedItems;

/**
 * Next-write detection: a state this library wrote and acknowledged in a region, found replaced
 * there by a state of the same version with another token (or of a lower version), was overwritten
 * by replication: last-writer-wins replaced it in that replica. Final with two regions; with three,
 * a region that built on it first may still win, so the ledger has the last word. A state that was
 * merely read is never claimed lost, nor one replaced by a state written without the library, nor
 * one whose item was deleted and created again (a new incarnation starts at version 1 with no
 * parent).
 */
final class NextWriteCheck {
  private final ItemCodec codec;

  NextWriteCheck(ItemCodec codec) {
    this.codec = codec;
  }

  /** The loss {@code expected} suffered, as {@code found} in {@code region} shows it, or null. */
  LostWrite check(ItemKey key, String region, VersionedItem expected, VersionedItem found) {
    if (expected == null
        || expected.writeToken().isEmpty()
        || !expected.writtenIn().map(region::equals).orElse(false)) {
      return null;
    }
    if (found.writeToken().isEmpty()) {
      return null; // written without the library: a foreign write, not a replicated overwrite
    }
    if (found.version() == 1
        && expected.version() > 1
        && codec.parentToken(found.attributes()) == null) {
      return null; // a new incarnation: deleted and created again, not overwritten
    }
    boolean sameVersionOtherToken =
        found.version() == expected.version() && !found.writeToken().equals(expected.writeToken());
    if (!sameVersionOtherToken && found.version() >= expected.version()) {
      return null;
    }
    return new LostWrite(
        codec.table().tableName(),
        key,
        region,
        expected.version(),
        expected.writeToken().get(),
        found.version(),
        found.writeToken().orElse(null),
        expected.attributes(),
        // Exactly what the lost write changed, when this process made it; otherwise what differs
        // between the two states.
        VersionedItems.writtenChanges(expected)
            .orElseGet(() -> codec.changesBetween(found.attributes(), expected.attributes())),
        LostWrite.Source.NEXT_WRITE);
  }
}
