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
import dev.gtguard.exception.WriteInterruptedException;
import dev.gtguard.internal.ConflictSignal;
import dev.gtguard.internal.InputRules;
import dev.gtguard.internal.ItemCodec;
import dev.gtguard.spi.ConflictKind;
import dev.gtguard.spi.FailoverWrite;
import dev.gtguard.spi.RetriesExhausted;
import dev.gtguard.spi.WriteConflict;
import dev.gtguard.spi.WriteListener;
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
 * The one retry loop of every versioned write: sends the plan's attempt, and from its {@link
 * Outcome} decides to finish, retry on the item DynamoDB returned, follow a moved home, fail over,
 * or end with a typed exception that says truly whether anything was written. Retries are counted
 * and spaced by a Resilience4j {@link Retry} (asked for the pause, never left to sleep).
 *
 * <p>The blocking and the asynchronous tables run this same loop; only their {@link Transport}
 * differs (how requests are sent, how pauses are taken, which thread runs the steps). Each step
 * returns a future: a blocking transport's are complete at once and the loop runs to its end on the
 * calling thread; an asynchronous one's complete later on the user's executor, where the loop
 * resumes. The loop is a trampoline: however many retries, the stack does not grow.
 */
public final class WriteLoop {
  /** What a finished write stored, how many attempts it sent, and the losses it found. */
  public record Written(VersionedItem item, int attempts, List<LostWrite> lost) {}

  private final InputRules rules;
  private final Router router;
  private final WriteExecutor executor;
  private final ItemReader reader;
  private final OutcomeDecoder decoder;
  private final NextWriteCheck nextWrite;
  private final WriteListener listeners;
  private final Retry retry;
  private final Transport transport;
  private final Supplier<String> tokens;

  public WriteLoop(
      ItemCodec codec,
      InputRules rules,
      Router router,
      WriteExecutor executor,
      WriteListener listeners,
      Retry retry,
      Transport transport,
      Supplier<String> tokens) {
    this.rules = rules;
    this.router = router;
    this.executor = executor;
    this.reader = new ItemReader(codec, transport);
    this.decoder = new OutcomeDecoder(codec, reader, executor);
    this.nextWrite = new NextWriteCheck(codec);
    this.listeners = listeners;
    this.retry = retry;
    this.transport = transport;
    this.tokens = tokens;
  }

  /**
   * Runs {@code plan} starting where {@code routed} says; {@code null}: where the item's home is,
   * found from the key, or with the attribute strategy from the local replica's copy (eventually
   * consistent), which must exist. A replica there at a lower version than the state that chose it
   * (or without the item) has not caught up with it yet, and is waited for.
   */
  public Written run(WritePlan plan, Router.Routed routed) {
    return Futures.join(start(plan, routed, written -> written));
  }

  /**
   * Starts {@code plan} as {@link #run} does; the future completes with {@code result} of the
   * finished write, or exceptionally with the typed exception the blocking table throws. Cancelling
   * it stops the write (see {@link WriteFuture}).
   */
  public <T> CompletableFuture<T> start(
      WritePlan plan, Router.Routed routed, Function<Written, T> result) {
    Run<T> run =
        routed == null
            ? new Run<>(plan, null, -1, result)
            : new Run<>(plan, routed.route(), routed.pointerVersion(), result);
    transport.start(run::loop);
    return run.future;
  }

  /** The state of one write. Its steps run one at a time; each may resume on another thread. */
  private final class Run<T> implements WriteFuture.Write {
    final WritePlan plan;
    final ItemKey key;
    final String table = rules.table().tableName();
    final Retry.AsyncContext<Object> context = retry.asyncContext();
    final List<LostWrite> lost = new ArrayList<>();
    final WriteFuture<T> future;
    final Function<Written, T> result;

    /** Attempts on the current base whose outcome is open; see {@link OutcomeDecoder}. */
    final List<VersionedWrite> pending = new CopyOnWriteArrayList<>();

    volatile Route route;
    Base base;
    long pointer;
    int attempts;
    volatile VersionedWrite last;
    Throwable failoverCause;

    /** From sending an attempt until its outcome is decoded. */
    boolean inFlight;

    Run(WritePlan plan, Route route, long pointerVersion, Function<Written, T> result) {
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
      VersionedWrite write = plan.next(base, route, tokens.get());
      if (write == null) {
        context.onComplete();
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
      synchronized (this) {
        inFlight = false;
      }
      if (future.isDone()) {
        return Futures.DONE; // stopped meanwhile, and already reported
      }
      return decide(outcome);
    }

    /** What follows {@code outcome}: the end, a pause before the next round, or the next round. */
    CompletableFuture<Void> decide(Outcome outcome) {
      if (outcome instanceof Outcome.Stored s) {
        context.onComplete();
        succeeded(s.item());
        future.succeed(result.apply(new Written(s.item(), attempts, lost)));
        return Futures.DONE;
      } else if (outcome instanceof Outcome.Conflict c) {
        conflict(ConflictKind.VERSION_MISMATCH, c.current().version());
        if (!plan.retriesConflicts()) {
          throw versionConflict(c.current(), c.cause());
        }
        LostWrite loss = nextWrite.check(key, route.region(), base.state(), c.current());
        if (loss != null) {
          lost.add(loss);
          listeners.onLostWrite(loss);
        }
        base = Base.of(rules.checkAdoptable(c.current(), key));
        return backoff(c.current().version(), c.cause(), null);
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
     * the home attribute until a region's replica names itself. A replica at a lower version than
     * the one that sent us to it has not seen the move yet: wait and read again. (Versions only
     * grow along an item's history, and a move is a versioned write.) Only called with no attempt
     * pending: every outcome that re-reads cleared them.
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
      long delay = context.onError(new ConflictSignal(key, route.region(), cause));
      if (delay < 0) {
        if (!pending.isEmpty()) {
          throw unknown(cause);
        }
        if (whenExhausted != null) {
          throw whenExhausted.get();
        }
        listeners.onRetriesExhausted(
            new RetriesExhausted(table, key, route.region(), attempts, lastSeenVersion));
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

    void reroute(String home, long pointerVersion) {
      router.check(key, home);
      listeners.onRerouted(new WriteRerouted(table, key, route.region(), home));
      pointer = pointerVersion;
      route = router.to(home);
    }

    void succeeded(VersionedItem stored) {
      listeners.onWriteSucceeded(
          new WriteSucceeded(
              table,
              key,
              route.region(),
              plan.operation(),
              stored == null ? 0 : stored.version(),
              stored == null ? null : stored.writeToken().orElse(null),
              attempts));
      if (route.failover()) {
        // Only now: a failover is reported for a write that the local region acknowledged.
        listeners.onFailover(
            new FailoverWrite(
                table, key, plan.operation(), route.failedHome(), route.region(), failoverCause));
      }
    }

    void conflict(ConflictKind kind, long actualVersion) {
      listeners.onConflict(
          new WriteConflict(
              table,
              key,
              route.region(),
              plan.operation(),
              kind,
              attempts,
              version(),
              actualVersion));
    }

    long version() {
      ExpectedVersion expected = plan.expected() != null ? plan.expected() : base.expected();
      return expected == null ? 0 : expected.version();
    }

    VersionConflictException versionConflict(VersionedItem current, Throwable cause) {
      ExpectedVersion expected = plan.expected() != null ? plan.expected() : base.expected();
      return new VersionConflictException(table, key, route.region(), expected, current, cause);
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

    /**
     * A blocking caller's thread was interrupted: the flag is restored. No thread of an
     * asynchronous caller waits, so there the SDK aborted the call (e.g. its client was closed):
     * the outcome is open if an attempt may have applied, else the failure is the SDK's.
     */
    RuntimeException interrupted(boolean mayHaveApplied, Throwable cause) {
      if (transport.blocking()) {
        Thread.currentThread().interrupt(); // the SDK or the waiter consumed the flag
        return new WriteInterruptedException(
            table, key, route.region(), plan.operation(), mayHaveApplied, cause);
      }
      return mayHaveApplied ? unknown(cause) : Futures.rethrown(cause);
    }
  }
}
