package dev.gtguard.spi;

/** Why a conditional write was refused. */
public enum ConflictKind {
  /** The region's replica held another version or write token ({@code ConditionalCheckFailed}). */
  VERSION_MISMATCH,
  /**
   * Multi-region strong consistency refused it because a write to the same item in another region
   * was in flight ({@code ReplicatedWriteConflictException}).
   */
  REPLICATED_WRITE_CONFLICT
}
