package dev.gtguard.internal.write;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/** Small helpers between futures and the exceptions a blocking caller expects. */
public final class Futures {
  /** A finished step. */
  static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private Futures() {}

  /**
   * The failure itself, unwrapped from {@code CompletionException} / {@code ExecutionException}.
   */
  public static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * The value of a future of the blocking path (complete when returned), or its failure thrown as
   * the blocking call would have thrown it.
   */
  public static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      throw rethrown(unwrap(e));
    }
  }

  /** {@code call}'s value as a completed future, or its failure as a failed one. */
  static <T> CompletableFuture<T> of(Supplier<T> call) {
    try {
      return CompletableFuture.completedFuture(call.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@code e} as an unchecked throwable to rethrow as is. */
  static RuntimeException rethrown(Throwable e) {
    if (e instanceof RuntimeException r) {
      return r;
    }
    if (e instanceof Error error) {
      throw error;
    }
    return new CompletionException(e);
  }
}
