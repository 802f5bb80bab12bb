package dev.gtguard.ledger;

/** What became of one lost write's repair in a {@link Reconciler} run. */
public enum RepairOutcome {
  /** A dry run: reported, not re-applied. */
  DRY_RUN,
  /** Re-applied, conditional on the judged state. */
  APPLIED,
  /** Later writes on the surviving history rewrote everything it changed: nothing to re-apply. */
  NOTHING_TO_APPLY,
  /** The item has been deleted since: re-applying would undo a delete. Not re-applied. */
  ITEM_DELETED,
  /**
   * The item's current state has no ledger entry (written without the ledger, or its entry has not
   * arrived): what it changed is unknown, so a repair could undo it. Not re-applied.
   */
  WITHHELD,
  /** The item kept moving while it was judged again: not re-applied; the next run judges it. */
  CONFLICT,
  /** The repair failed; the exception is in the log, the run went on. */
  FAILED
}
