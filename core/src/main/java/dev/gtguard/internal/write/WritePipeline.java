package dev.gtguard.internal.write;

import com.github.f4b6a3.ulid.UlidCreator;
import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.FailoverPolicy;
import dev.gtguard.HomeRegionStrategy;
import dev.gtguard.ItemKey;
import dev.gtguard.ReadConsistency;
import dev.gtguard.RegionClients;
import dev.gtguard.SameItemUpdates;
import dev.gtguard.TableDescription;
import dev.gtguard.UpdateFunction;
import dev.gtguard.VersionedItem;
import dev.gtguard.internal.ConflictRetries;
import dev.gtguard.internal.InputRules;
import dev.gtguard.internal.ItemCodec;
import dev.gtguard.internal.Listeners;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.spi.WriteListener;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The parts of one table's write path, assembled once: input rules, codec, reader, router, and the
 * retry loop over the plain or the ledger executor, on a blocking or an asynchronous {@link
 * Transport}.
 */
public record WritePipeline(
    InputRules rules,
    ItemCodec codec,
    ItemReader reader,
    Router router,
    WriteRequests requests,
    WriteLoop loop,
    UpdateCombiner combiner) {

  /** Runs {@code request} to its end (blocking transport). */
  public WriteLoop.Written run(WriteRequests.Request request) {
    return loop.run(request.plan(), request.routed());
  }

  /** Starts {@code request}; see {@link WriteLoop#start}. */
  public <T> CompletableFuture<T> start(
      WriteRequests.Request request, Function<WriteLoop.Written, T> result) {
    return loop.start(request.plan(), request.routed(), result);
  }

  /** How concurrent read-modify-retry updates of one item run. */
  public SameItemUpdates sameItemUpdates() {
    return combiner == null ? SameItemUpdates.CONCURRENT : combiner.mode();
  }

  /**
   * Runs a read-modify-retry update of the item with {@code key} (blocking transport); queued
   * behind (or combined with) other callers' updates of the item unless they run concurrently.
   */
  public WriteLoop.Written update(ItemKey key, UpdateFunction function) {
    if (combiner == null) {
      return run(requests.update(key, function));
    }
    return combiner.run(requests.checkUpdate(key, function), null, function);
  }

  /** As {@link #update(ItemKey, UpdateFunction)}, from a held item. */
  public WriteLoop.Written update(VersionedItem held, UpdateFunction function) {
    if (combiner == null) {
      return run(requests.update(held, function));
    }
    return combiner.run(requests.checkUpdate(held, function), held, function);
  }

  /** Starts {@link #update(ItemKey, UpdateFunction)} (asynchronous transport). */
  public <T> CompletableFuture<T> startUpdate(
      ItemKey key, UpdateFunction function, Function<WriteLoop.Written, T> result) {
    if (combiner == null) {
      return start(requests.update(key, function), result);
    }
    return combiner.start(requests.checkUpdate(key, function), null, function, result);
  }

  /** Starts {@link #update(VersionedItem, UpdateFunction)} (asynchronous transport). */
  public <T> CompletableFuture<T> startUpdate(
      VersionedItem held, UpdateFunction function, Function<WriteLoop.Written, T> result) {
    if (combiner == null) {
      return start(requests.update(held, function), result);
    }
    return combiner.start(requests.checkUpdate(held, function), held, function, result);
  }

  /**
   * Reads an item: eventually consistent from the local region, or strongly consistent from its
   * home region (with the attribute strategy, as the local replica names it; empty if that replica
   * has no copy).
   *
   * @throws dev.gtguard.exception.InvalidItemException at once, if the key does not match the table
   */
  public CompletableFuture<Optional<VersionedItem>> get(ItemKey key, ReadConsistency consistency) {
    rules.validate(key);
    Objects.requireNonNull(consistency, "consistency");
    if (consistency == ReadConsistency.EVENTUAL) {
      return reader.read(router.localRegion(), key, false);
    }
    return router
        .routeByKey(key, reader)
        .thenCompose(
            routed ->
                routed.isEmpty()
                    ? CompletableFuture.completedFuture(Optional.<VersionedItem>empty())
                    : reader.read(routed.get().route().region(), key, true));
  }

  /** The home region of an item as held: where its writes go. */
  public String homeRegionOf(VersionedItem item) {
    return router.homeOf(rules.keyOf(item.attributes()), item.attributes());
  }

  /**
   * @param ledger the write ledger, or null for plain writes
   * @param sameItemUpdates how concurrent read-modify-retry updates of one item run
   */
  public static WritePipeline create(
      TableDescription table,
      RegionClients regions,
      HomeRegionStrategy homeRegion,
      FailoverPolicy failoverPolicy,
      WriteLedger ledger,
      ConflictRetryPolicy retryPolicy,
      List<WriteListener> listeners,
      Transport transport,
      SameItemUpdates sameItemUpdates) {
    InputRules rules = new InputRules(table);
    ItemCodec codec = new ItemCodec(rules);
    Router router = new Router(regions, homeRegion, failoverPolicy, table.tableName());
    Listeners all = new Listeners(listeners);
    WriteLoop loop =
        new WriteLoop(
            codec,
            rules,
            router,
            ledger == null
                ? new PlainExecutor(transport)
                : new LedgerExecutor(ledger, rules, transport),
            all,
            ConflictRetries.create(
                "gtguard-" + table.tableName(), retryPolicy, table.tableName(), all),
            retryPolicy,
            transport,
            () -> UlidCreator.getUlid().toString());
    WriteRequests requests = new WriteRequests(rules, router, ledger != null);
    return new WritePipeline(
        rules,
        codec,
        new ItemReader(codec, transport),
        router,
        requests,
        loop,
        sameItemUpdates == SameItemUpdates.CONCURRENT
            ? null
            : new UpdateCombiner(requests, loop, transport.blocking(), sameItemUpdates));
  }
}
