package dev.gtguard.internal.write;

import dev.gtguard.ItemKey;
import dev.gtguard.exception.WriteInterruptedException;
import dev.gtguard.spi.WriteOperation;
import java.util.function.Function;

/** How a write ends when its call or its pause was interrupted, for both transports. */
final class Interrupts {
  private Interrupts() {}

  /**
   * A blocking caller's thread was interrupted: {@link WriteInterruptedException}, and the flag is
   * restored (the SDK or the waiter consumed it). No thread of an asynchronous caller waits, so
   * there the SDK aborted the call (e.g. its client was closed): the outcome is open if an attempt
   * may have applied, else the failure is the SDK's.
   *
   * @param unknown the write's "outcome unknown" exception with a given cause
   */
  static RuntimeException ended(
      Transport transport,
      String table,
      ItemKey key,
      String region,
      WriteOperation operation,
      boolean mayHaveApplied,
      Throwable cause,
      Function<Throwable, RuntimeException> unknown) {
    if (transport.blocking()) {
      Thread.currentThread().interrupt();
      return new WriteInterruptedException(table, key, region, operation, mayHaveApplied, cause);
    }
    return mayHaveApplied ? unknown.apply(cause) : Futures.rethrown(cause);
  }
}
