package dev.gtguard.spi;

import dev.gtguard.LostWrite;

/**
 * Hears what the library does with each write: successes, conflicts, retries, give-ups. Register
 * one with a table's builder to feed metrics or tracing; the library's own SLF4J logging is such a
 * listener too. Every method has an empty default, so implement only what you need.
 *
 * <p>Methods run on the writing thread, synchronously, so keep them fast. An exception thrown by a
 * listener is logged and otherwise ignored: it never fails the write.
 *
 * <pre>{@code
 * WriteListener conflicts = new WriteListener() {
 *   @Override public void onConflict(WriteConflict e) {
 *     registry.counter("ddb.conflicts", "table", e.tableName()).increment();
 *   }
 * };
 * VersionedTable table = VersionedTable.builder()...listener(conflicts).build();
 * }</pre>
 */
public interface WriteListener {

  /** A write was acknowledged by DynamoDB. */
  default void onWriteSucceeded(WriteSucceeded event) {}

  /** A conditional write was refused because another writer got in first. */
  default void onConflict(WriteConflict event) {}

  /** A refused update will be tried again after {@link RetryScheduled#delay()}. */
  default void onRetry(RetryScheduled event) {}

  /** An update lost every attempt it was allowed; a typed exception follows. */
  default void onRetriesExhausted(RetriesExhausted event) {}

  /** A write went to the local region because its home region was unreachable. */
  default void onFailover(FailoverWrite event) {}

  /** A write found the item's home had moved, and follows it. */
  default void onRerouted(WriteRerouted event) {}

  /**
   * An acknowledged write was found overwritten by replication. Detectors report each loss (by
   * write token) once per detector.
   */
  default void onLostWrite(LostWrite lost) {}
}
