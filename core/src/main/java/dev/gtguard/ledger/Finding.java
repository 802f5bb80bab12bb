package dev.gtguard.ledger;

import dev.gtguard.ItemKey;

/**
 * Something a {@link Reconciler} run found about an item that is not a lost write: where the ledger
 * cannot judge, it says so instead of guessing.
 *
 * @param kind what was found
 * @param tableName the table
 * @param key the item's key
 * @param detail a sentence for people (no item values)
 */
public record Finding(Kind kind, String tableName, ItemKey key, String detail) {

  /** What a finding is about. */
  public enum Kind {
    /**
     * The item's state (and the state it was built on) have no ledger entry yet, after waiting: the
     * ledger replica is behind, or the item is written without the ledger. Not judged.
     */
    UNDECIDED,
    /**
     * The item's history was broken by a write the ledger did not record: a TTL or console delete,
     * a whole-item put by code that does not use the library, a write without a ledger, or expired
     * entries. What came before it is not judged, and no loss is claimed for it.
     */
    FOREIGN_BOUNDARY,
    /** A ledger entry's MAC does not verify: it is not trusted, and never re-applied. */
    UNVERIFIED_ENTRY
  }
}
