package dev.gtguard.enhanced;

import dev.gtguard.ExpectedVersion;
import dev.gtguard.ItemKey;
import dev.gtguard.ReadConsistency;
import dev.gtguard.UpdateFunction;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedItem;
import dev.gtguard.exception.OutcomeUnknownException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The future of one operation of {@link VersionedEntityAsyncTable}, which may make several core
 * calls (a read, then the write; at most the last one writes). Cancelling it, or completing it from
 * outside (e.g. {@code orTimeout}), stops the operation: no further core call is started. Once the
 * core write has started, the stop goes to that write's own future, and this one ends as it does:
 * cancelled when no attempt may have been applied, else with {@link OutcomeUnknownException}. A
 * sent attempt is never reported as not written, as with {@link dev.gtguard.AsyncVersionedTable}.
 */
final class EntityFuture<T> extends CompletableFuture<T> {
  private final Object lock = new Object();

  /** The core write's future, once started. */
  private CompletableFuture<?> write;

  private EntityFuture() {}

  /**
   * Runs {@code operation} with {@code core}, and returns its future: never throws; what the
   * operation throws (bad input) fails the future at once. Completes where the operation's last
   * core future completes: on the core table's executor.
   */
  static <T> CompletableFuture<T> run(
      CoreTable core, Function<CoreTable, CompletableFuture<T>> operation) {
    EntityFuture<T> future = new EntityFuture<>();
    try {
      operation.apply(future.tracking(core)).whenComplete(future::settle);
    } catch (RuntimeException e) {
      future.settle(null, e);
    }
    return future;
  }

  /** The operation's own end: its result, or the typed exception itself, not wrapped. */
  private void settle(T value, Throwable error) {
    if (error == null) {
      super.complete(value);
    } else {
      super.completeExceptionally(CoreTable.unwrap(error));
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    CompletableFuture<?> started;
    synchronized (lock) {
      started = write;
      if (started == null) {
        return super.cancel(mayInterruptIfRunning); // reads at most: nothing written
      }
    }
    started.cancel(mayInterruptIfRunning);
    endAs(started);
    return isCancelled();
  }

  @Override
  public boolean completeExceptionally(Throwable ex) {
    CompletableFuture<?> started;
    synchronized (lock) {
      started = write;
      if (started == null) {
        return super.completeExceptionally(ex);
      }
    }
    started.completeExceptionally(ex);
    return endAs(started);
  }

  /**
   * Ends this future as the stopped write ended, when it failed or was cancelled; if it had already
   * succeeded, the operation completes this future with its result.
   */
  private boolean endAs(CompletableFuture<?> stopped) {
    if (!stopped.isCompletedExceptionally()) {
      return false;
    }
    Throwable error = stopped.handle((value, e) -> e).join();
    return super.completeExceptionally(CoreTable.unwrap(error));
  }

  /** {@code core}, its calls started only while this future is not done; writes remembered. */
  private CoreTable tracking(CoreTable core) {
    return new CoreTable() {
      @Override
      public String homeRegionOf(VersionedItem item) {
        return core.homeRegionOf(item);
      }

      @Override
      public CompletableFuture<Optional<VersionedItem>> get(
          ItemKey key, ReadConsistency consistency) {
        return isDone() ? stopped() : core.get(key, consistency);
      }

      @Override
      public CompletableFuture<VersionedItem> create(Map<String, AttributeValue> item) {
        return write(() -> core.create(item));
      }

      @Override
      public CompletableFuture<UpdateResult> update(ItemKey key, UpdateFunction function) {
        return write(() -> core.update(key, function));
      }

      @Override
      public CompletableFuture<Void> delete(ItemKey key, ExpectedVersion expected) {
        return write(() -> core.delete(key, expected));
      }

      @Override
      public CompletableFuture<UpdateResult> moveHome(ItemKey key, String newHome) {
        return write(() -> core.moveHome(key, newHome));
      }
    };
  }

  /**
   * Starts the core write unless this future is done; atomic with {@link #cancel}. The core call
   * only starts the write (its steps run on the core table's executor), so the lock is brief.
   */
  private <U> CompletableFuture<U> write(Supplier<CompletableFuture<U>> call) {
    synchronized (lock) {
      if (isDone()) {
        return stopped();
      }
      CompletableFuture<U> started = call.get();
      write = started;
      return started;
    }
  }

  private static <U> CompletableFuture<U> stopped() {
    return CompletableFuture.failedFuture(
        new CancellationException("stopped before this step was started"));
  }
}
