package dev.gtguard.exception;

import dev.gtguard.ItemKey;
import dev.gtguard.spi.WriteOperation;

/**
 * The thread was interrupted while a write was in a call to DynamoDB or waiting to retry. The write
 * stopped there; the thread's interrupt flag is set again, as it was. {@link #mayHaveBeenApplied()}
 * says whether an attempt was in flight: if so, the write may or may not have been applied (see
 * {@link OutcomeUnknownException} for how to tell); if not, nothing was written.
 *
 * <pre>{@code
 * try {
 *   table.update(key, fn);
 * } catch (WriteInterruptedException e) {
 *   if (e.mayHaveBeenApplied()) { ... }      // check the item later
 *   return;                                   // Thread.currentThread().isInterrupted() is true
 * }
 * }</pre>
 */
public class WriteInterruptedException extends GlobalTablesException {
  private static final long serialVersionUID = 1L;

  private final WriteOperation operation;
  private final boolean mayHaveBeenApplied;

  public WriteInterruptedException(
      String tableName,
      ItemKey key,
      String region,
      WriteOperation operation,
      boolean mayHaveBeenApplied,
      Throwable cause) {
    super(
        operation
            + " of item "
            + key
            + " in table "
            + tableName
            + " (region "
            + region
            + ") interrupted; "
            + (mayHaveBeenApplied
                ? "an attempt was in flight: it may or may not have been applied"
                : "nothing was written"),
        tableName,
        key,
        region,
        cause);
    this.operation = operation;
    this.mayHaveBeenApplied = mayHaveBeenApplied;
  }

  /** The kind of write. */
  public WriteOperation operation() {
    return operation;
  }

  /** Whether an attempt was in flight, so that the write may have been applied. */
  public boolean mayHaveBeenApplied() {
    return mayHaveBeenApplied;
  }
}
