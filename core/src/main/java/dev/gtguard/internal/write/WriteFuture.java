package dev.gtguard.internal.write;

import dev.gtguard.exception.OutcomeUnknownException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The future of one write, as the asynchronous table returns it. Cancelling it (or completing it
 * from outside, e.g. by {@code orTimeout}) stops the write: no further attempt is sent. Whether
 * that reports "nothing was written" depends on the write's state at that moment: while an attempt
 * may have been applied (sent and not proven refused), the future completes exceptionally with
 * {@link OutcomeUnknownException} instead, naming the open write tokens, and {@link #cancel}
 * returns false. A sent attempt is never reported as not written.
 *
 * @param <T> what the write returns
 */
final class WriteFuture<T> extends CompletableFuture<T> {

  /** What the future asks of the write it stands for. */
  interface Write {
    /** Whether an attempt is in flight or its outcome is still open. */
    boolean mayHaveApplied();

    /** The exception that says the outcome is open, caused by {@code cause}. */
    OutcomeUnknownException unknown(Throwable cause);
  }

  private final Write write;

  WriteFuture(Write write) {
    this.write = write;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    synchronized (write) {
      if (write.mayHaveApplied()) {
        super.completeExceptionally(
            write.unknown(new CancellationException("cancelled after an attempt was sent")));
        return false;
      }
      return super.cancel(mayInterruptIfRunning);
    }
  }

  @Override
  public boolean completeExceptionally(Throwable ex) {
    synchronized (write) {
      if (write.mayHaveApplied() && !(ex instanceof OutcomeUnknownException)) {
        return super.completeExceptionally(write.unknown(ex));
      }
      return super.completeExceptionally(ex);
    }
  }

  /** The write's own end. */
  void succeed(T value) {
    super.complete(value);
  }

  /** The write's own failure: the typed exception, as the blocking table throws it. */
  void fail(Throwable ex) {
    super.completeExceptionally(ex);
  }
}
