package dev.gtguard.enhanced;

import dev.gtguard.AsyncVersionedTable;
import dev.gtguard.ExpectedVersion;
import dev.gtguard.ItemKey;
import dev.gtguard.ReadConsistency;
import dev.gtguard.UpdateFunction;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The calls {@link EntityWrites} makes into a core table, as futures: the one point where the
 * blocking and the asynchronous entity tables differ. {@link #of(VersionedTable)}'s futures are
 * complete when returned (the call ran on the caller's thread, and its exception is the failure);
 * {@link #of(AsyncVersionedTable)}'s complete on the core table's executor.
 */
interface CoreTable {

  /** See {@link VersionedTable#homeRegionOf(VersionedItem)}. */
  String homeRegionOf(VersionedItem item);

  /** See {@link VersionedTable#get(ItemKey, ReadConsistency)}. */
  CompletableFuture<Optional<VersionedItem>> get(ItemKey key, ReadConsistency consistency);

  /** See {@link VersionedTable#create}. */
  CompletableFuture<VersionedItem> create(Map<String, AttributeValue> item);

  /** See {@link VersionedTable#update(ItemKey, UpdateFunction)}. */
  CompletableFuture<UpdateResult> update(ItemKey key, UpdateFunction function);

  /** See {@link VersionedTable#delete}. */
  CompletableFuture<Void> delete(ItemKey key, ExpectedVersion expected);

  /** See {@link VersionedTable#moveHome}. */
  CompletableFuture<UpdateResult> moveHome(ItemKey key, String newHome);

  /** The blocking table: each call runs at once; the future holds its result or exception. */
  static CoreTable of(VersionedTable table) {
    return new CoreTable() {
      @Override
      public String homeRegionOf(VersionedItem item) {
        return table.homeRegionOf(item);
      }

      @Override
      public CompletableFuture<Optional<VersionedItem>> get(
          ItemKey key, ReadConsistency consistency) {
        return now(() -> table.get(key, consistency));
      }

      @Override
      public CompletableFuture<VersionedItem> create(Map<String, AttributeValue> item) {
        return now(() -> table.create(item));
      }

      @Override
      public CompletableFuture<UpdateResult> update(ItemKey key, UpdateFunction function) {
        return now(() -> table.update(key, function));
      }

      @Override
      public CompletableFuture<Void> delete(ItemKey key, ExpectedVersion expected) {
        return now(
            () -> {
              table.delete(key, expected);
              return null;
            });
      }

      @Override
      public CompletableFuture<UpdateResult> moveHome(ItemKey key, String newHome) {
        return now(() -> table.moveHome(key, newHome));
      }
    };
  }

  /** The asynchronous table, as it is. */
  static CoreTable of(AsyncVersionedTable table) {
    return new CoreTable() {
      @Override
      public String homeRegionOf(VersionedItem item) {
        return table.homeRegionOf(item);
      }

      @Override
      public CompletableFuture<Optional<VersionedItem>> get(
          ItemKey key, ReadConsistency consistency) {
        return table.get(key, consistency);
      }

      @Override
      public CompletableFuture<VersionedItem> create(Map<String, AttributeValue> item) {
        return table.create(item);
      }

      @Override
      public CompletableFuture<UpdateResult> update(ItemKey key, UpdateFunction function) {
        return table.update(key, function);
      }

      @Override
      public CompletableFuture<Void> delete(ItemKey key, ExpectedVersion expected) {
        return table.delete(key, expected);
      }

      @Override
      public CompletableFuture<UpdateResult> moveHome(ItemKey key, String newHome) {
        return table.moveHome(key, newHome);
      }
    };
  }

  /** {@code call}'s value as a completed future, or what it threw as a failed one. */
  private static <T> CompletableFuture<T> now(Supplier<T> call) {
    try {
      return CompletableFuture.completedFuture(call.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The value of a future of the blocking table (complete when returned), or its failure thrown as
   * the blocking call threw it: the same instance, not wrapped.
   */
  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException | CancellationException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /**
   * The failure itself, unwrapped from {@code CompletionException} / {@code ExecutionException}.
   */
  static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
