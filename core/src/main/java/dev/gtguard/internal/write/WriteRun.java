package dev.gtguard.internal.write;

import dev.gtguard.ExpectedVersion;
import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.VersionedItem;
import dev.gtguard.exception.ConditionNotMetException;
import dev.gtguard.exception.ItemAlreadyExistsException;
import dev.gtguard.exception.ItemNotFoundException;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.exception.RetriesExhaustedException;
import dev.gtguard.exception.VersionConflictException;
import dev.gtguard.internal.ConflictRetries;
import dev.gtguard.internal.ConflictSignal;
import dev.gtguard.internal.InputRules;
import dev.gtguard.internal.write.WriteLoop.Written;
import dev.gtguard.spi.ConflictKind;
import dev.gtguard.spi.FailoverWrite;
import dev.gtguard.spi.RetriesExhausted;
import dev.gtguard.spi.WriteConflict;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spi.WriteOperation;
import dev.gtguard.spi.WriteRerouted;
import dev.gtguard.spi.WriteSucceeded;
import io.github.resilience4j.retry.Retry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The state of one write that {@link WriteLoop} runs, and the loop's decisions on each {@link
 * Outcome}. Its steps run one at a time; each may resume on another thread.
 */
final class WriteRun<T> implements WriteFuture.Write {
  private final WriteLoop loop;
  private final InputRules rules;
  private final Router router;
  private final WriteExecutor executor;
  private final ItemReader reader;
  private final OutcomeDecoder decoder;
  private final WriteListener listeners;
  private final Transport transport;

  private final WritePlan plan;
  private final ItemKey key;
  private final String table;

  /** Counts and spaces the retries; created by the first (most writes never retry). */
  private Retry.AsyncContext<Object> context;

  private final List<LostWrite> lost = new ArrayList<>();
  private final Function<Written, T> result;
  final WriteFuture<T> future;

  /** Attempts on the current base whose outcome is open; see {@link OutcomeDecoder}. */
  private final List<VersionedWrite> pending = new CopyOnWriteArrayList<>();

  private volatile Route route;
  private Base base;
  private long pointer;
  private int attempts;
  private volatile VersionedWrite last;
  private Throwable failoverCause;

  /** Retries so far; those past the policy's immediate ones pause. */
  private int retries;

  /** Whether the last {@link #backoff} was a pausing retry: then the refused item is stale. */
  private boolean paused;

  /** From sending an attempt until its outcome is decoded. */
  private boolean inFlight;

  WriteRun(
      WriteLoop loop,
      WritePlan plan,
      Route route,
      long pointerVersion,
      Function<Written, T> result) {
    this.loop = loop;
    this.rules = loop.rules;
    this.router = loop.router;
    this.executor = loop.executor;
    this.reader = loop.reader;
    this.decoder = loop.decoder;
    this.listeners = loop.listeners;
    this.transport = loop.transport;
    this.table = rules.table().tableName();
    this.plan = plan;
    this.key = plan.key();
    this.route = route;
    this.pointer = pointerVersion;
    this.base = plan.start();
    this.result = result;
    this.future = new WriteFuture<>(this);
  }

  /** Runs steps until the write ends or a step has to wait; it then resumes this loop. */
  void loop() {
    Trampoline.run(this::step, future::isDone, error -> future.fail(Futures.unwrap(error)));
  }

  /** One round: read the base, or send an attempt and decide on its outcome. */
  CompletableFuture<Void> step() {
    if (route == null) {
      return routeByKey();
    }
    if (base == null) {
      return readHome();
    }
    ExpectedVersion expected = plan.expected();
    if (expected != null && base.state() != null && !base.state().expected().equals(expected)) {
      return decide(new Outcome.Conflict(base.state(), null)); // seen before sending anything
    }
    VersionedWrite write = plan.next(base, route, loop.tokens.get());
    if (write == null) {
      completed();
      future.succeed(result.apply(new Written(base.state(), attempts, lost)));
      return Futures.DONE;
    }
    executor.check(write);
    last = write; // before claiming: a cancel that sees the claim reports this token
    if (!claimSend()) {
      return Futures.DONE; // stopped while the attempt was built: not sent
    }
    attempts++;
    return executor
        .send(route, write)
        .handle(
            (returned, error) -> {
              if (error == null) {
                return CompletableFuture.completedFuture(
                    decoder.stored(write, base, route, returned));
              }
              Throwable cause = Futures.unwrap(error);
              if (!(cause instanceof SdkException e)) {
                throw Futures.rethrown(cause);
              }
              return decoder.failed(write, base, route, pending, e);
            })
        .thenCompose(outcome -> outcome)
        .thenCompose(this::settled);
  }

  /** Marks an attempt as sent unless the write was stopped; atomic with a cancel. */
  synchronized boolean claimSend() {
    if (future.isDone()) {
      return false;
    }
    inFlight = true;
    return true;
  }

  @Override
  public synchronized boolean mayHaveApplied() {
    return inFlight || !pending.isEmpty();
  }

  CompletableFuture<Void> settled(Outcome outcome) {
    boolean mayHaveApplied =
        outcome instanceof Outcome.Stored
            || outcome instanceof Outcome.Unknown
            || (outcome instanceof Outcome.Interrupted i && i.mayHaveApplied());
    if (!mayHaveApplied) {
      // Proven not applied (or held in pending). An attempt that applied or may have stays "in
      // flight" until the write ends with it, so that a cancel meanwhile never says "not written".
      synchronized (this) {
        inFlight = false;
      }
    }
    if (future.isDone()) {
      return Futures.DONE; // stopped meanwhile, and already reported
    }
    return decide(outcome);
  }

  /** What follows {@code outcome}: the end, a pause before the next round, or the next round. */
  CompletableFuture<Void> decide(Outcome outcome) {
    if (outcome instanceof Outcome.Stored s) {
      completed();
      succeeded(s.item());
      future.succeed(result.apply(new Written(s.item(), attempts, lost)));
      return Futures.DONE;
    } else if (outcome instanceof Outcome.Conflict c) {
      conflict(ConflictKind.VERSION_MISMATCH, c.current().version());
      if (!plan.retriesConflicts()) {
        throw versionConflict(c.current(), c.cause());
      }
      LostWrite loss = loop.nextWrite.check(key, route.region(), base.state(), c.current());
      if (loss != null) {
        lost.add(loss);
        listeners.onLostWrite(loss);
      }
      base = Base.of(rules.checkAdoptable(c.current(), key));
      return backoff(c.current().version(), c.cause(), null)
          .thenRun(
              () -> {
                if (paused && pending.isEmpty()) {
                  base = null; // the refused item is as old as the pause: read it again
                }
              });
    } else if (outcome instanceof Outcome.Moved m) {
      pending.clear(); // conditional on the old home: can never apply
      if (!plan.retriesConflicts()) {
        throw versionConflict(m.current(), m.cause());
      }
      return backoff(m.current().version(), m.cause(), null)
          .thenRun(
              () -> {
                reroute(m.home(), m.current().version());
                base = null;
              });
    } else if (outcome instanceof Outcome.Contended c) {
      conflict(ConflictKind.REPLICATED_WRITE_CONFLICT, -1);
      long version = version();
      if (plan.retriesConflicts()) {
        base = null; // refused without the item: read it again
      }
      return backoff(version, c.cause(), null);
    } else if (outcome instanceof Outcome.NotYetApplied n) {
      return backoff(version(), n.cause(), null);
    } else if (outcome instanceof Outcome.NotFound n) {
      if (!route.checkHome() || pointer < 0) {
        throw notFound(n.cause());
      }
      // Sent here by a state that names this region: its replica may not have the item yet.
      base = null;
      return backoff(pointer, n.cause(), () -> notFound(n.cause()));
    } else if (outcome instanceof Outcome.AlreadyExists a) {
      throw new ItemAlreadyExistsException(table, key, route.region(), a.existing(), a.cause());
    } else if (outcome instanceof Outcome.ConditionNotMet c) {
      throw new ConditionNotMetException(table, key, route.region(), c.current(), c.cause());
    } else if (outcome instanceof Outcome.Unreachable u) {
      route = router.failover(route, key, u.cause());
      failoverCause = u.cause();
      if (plan.retriesConflicts()) {
        base = null; // the local replica's state is what the local write must build on
      }
      return Futures.DONE;
    } else if (outcome instanceof Outcome.Unknown u) {
      throw unknown(u.cause());
    } else if (outcome instanceof Outcome.Interrupted i) {
      throw interrupted(i.mayHaveApplied(), i.cause());
    } else if (outcome instanceof Outcome.Failed f) {
      throw f.error();
    }
    throw new IllegalStateException("no decision for " + outcome);
  }

  /** Finds the home of an item known by its key alone: see {@link Router#routeByKey}. */
  CompletableFuture<Void> routeByKey() {
    return router
        .routeByKey(key, reader)
        .thenAccept(
            found -> {
              Router.Routed routed =
                  found.orElseThrow(
                      () -> new ItemNotFoundException(table, key, router.localRegion(), null));
              route = routed.route();
              pointer = routed.pointerVersion();
            });
  }

  /**
   * Reads the item strongly consistent where the write goes; with the attribute strategy, follows
   * the home attribute until a region's replica names itself. A replica at a lower version than the
   * one that sent us to it has not seen the move yet: wait and read again. (Versions only grow
   * along an item's history, and a move is a versioned write.) Only called with no attempt pending:
   * every outcome that re-reads cleared them.
   */
  CompletableFuture<Void> readHome() {
    return reader
        .read(route.region(), key, true)
        .handle((found, error) -> error == null ? based(found) : readFailed(error))
        .thenCompose(next -> next);
  }

  CompletableFuture<Void> readFailed(Throwable error) {
    Throwable cause = Futures.unwrap(error);
    if (!(cause instanceof SdkException e)) {
      throw Futures.rethrown(cause);
    }
    SdkFaults.Fault fault = SdkFaults.classify(e);
    if (fault.last() == SdkFaults.Delivery.INTERRUPTED) {
      throw interrupted(false, e);
    }
    if (!fault.neverSent()) {
      throw e; // a read that failed: nothing was written
    }
    route = router.failover(route, key, e);
    failoverCause = e;
    return Futures.DONE;
  }

  CompletableFuture<Void> based(Optional<VersionedItem> found) {
    if (found.isEmpty()) {
      if (!route.checkHome() || pointer < 0) {
        throw notFound(null);
      }
      return backoff(pointer, null, () -> notFound(null));
    }
    VersionedItem item = found.get();
    if (!route.checkHome()) {
      base = Base.of(rules.checkAdoptable(item, key));
      return Futures.DONE;
    }
    String home = router.homeOf(key, item.attributes());
    if (home.equals(route.region())) {
      base = Base.of(rules.checkAdoptable(item, key));
      return Futures.DONE;
    }
    if (item.version() <= pointer) {
      return backoff(item.version(), null, null);
    }
    reroute(home, item.version());
    return Futures.DONE;
  }

  /**
   * The pause before the next attempt, or the end of the write: with an exception that says the
   * outcome is open if an attempt is pending, with {@code whenExhausted}'s, or as retries
   * exhausted.
   */
  CompletableFuture<Void> backoff(
      long lastSeenVersion, Throwable cause, Supplier<RuntimeException> whenExhausted) {
    if (context == null) {
      context = loop.retry.asyncContext();
    }
    long delay = context.onError(new ConflictSignal(key, route.region(), cause));
    paused = ConflictRetries.pausesBefore(loop.retryPolicy, ++retries);
    if (delay < 0) {
      if (!pending.isEmpty()) {
        throw unknown(cause);
      }
      if (whenExhausted != null) {
        throw whenExhausted.get();
      }
      VersionedWrite sent = last;
      RetriesExhausted event =
          new RetriesExhausted(table, key, route.region(), attempts, lastSeenVersion);
      for (int i = plan.callers(sent == null ? null : sent.token()); i > 0; i--) {
        listeners.onRetriesExhausted(event);
      }
      throw new RetriesExhaustedException(
          table, key, route.region(), attempts, lastSeenVersion, cause);
    }
    return transport
        .pause(delay)
        .handle(
            (paused, error) -> {
              if (error != null) {
                throw interrupted(!pending.isEmpty(), Futures.unwrap(error));
              }
              return null;
            });
  }

  /** Tells the retry context the write ended well, if it retried. */
  private void completed() {
    if (context != null) {
      context.onComplete();
    }
  }

  void reroute(String home, long pointerVersion) {
    router.check(key, home);
    listeners.onRerouted(new WriteRerouted(table, key, route.region(), home));
    pointer = pointerVersion;
    route = router.to(home);
  }

  /** Tells the listeners, once for each caller the stored attempt answers. */
  void succeeded(VersionedItem stored) {
    long version = stored == null ? 0 : stored.version();
    String token = stored == null ? null : stored.writeToken().orElse(null);
    WriteSucceeded success =
        new WriteSucceeded(table, key, route.region(), plan.operation(), version, token, attempts);
    // A failover is only reported for a write that the local region acknowledged.
    FailoverWrite failover =
        route.failover()
            ? new FailoverWrite(
                table, key, plan.operation(), route.failedHome(), route.region(), failoverCause)
            : null;
    for (int i = plan.callers(token); i > 0; i--) {
      listeners.onWriteSucceeded(success);
      if (failover != null) {
        listeners.onFailover(failover);
      }
    }
  }

  void conflict(ConflictKind kind, long actualVersion) {
    String region = route.region();
    WriteOperation operation = plan.operation();
    listeners.onConflict(
        new WriteConflict(table, key, region, operation, kind, attempts, version(), actualVersion));
  }

  ExpectedVersion expected() {
    return plan.expected() != null ? plan.expected() : base.expected();
  }

  long version() {
    return expected() == null ? 0 : expected().version();
  }

  VersionConflictException versionConflict(VersionedItem current, Throwable cause) {
    return new VersionConflictException(table, key, route.region(), expected(), current, cause);
  }

  ItemNotFoundException notFound(Throwable cause) {
    return new ItemNotFoundException(table, key, route.region(), cause);
  }

  @Override
  public OutcomeUnknownException unknown(Throwable cause) {
    List<String> open = pending.stream().map(VersionedWrite::token).toList();
    VersionedWrite sent = last;
    if (open.isEmpty() && sent != null) {
      open = List.of(sent.token());
    }
    return new OutcomeUnknownException(table, key, route.region(), plan.operation(), open, cause);
  }

  RuntimeException interrupted(boolean mayHaveApplied, Throwable cause) {
    return Interrupts.ended(
        transport,
        table,
        key,
        route.region(),
        plan.operation(),
        mayHaveApplied,
        cause,
        this::unknown);
  }
}
