package dev.gtguard.ledger;

/** Whether a {@link Reconciler} run only reports lost writes, or also re-applies them. */
public enum RepairMode {
  /** Default: report every loss with what to re-apply; write nothing. */
  DRY_RUN,
  /**
   * Re-apply each loss's remaining changes through {@link
   * dev.gtguard.VersionedTable#repair(dev.gtguard.LostWrite)}: conditional on the state the loss
   * was judged against, so a concurrent write turns the repair into a conflict that is judged
   * again, never into an overwrite.
   */
  APPLY
}
