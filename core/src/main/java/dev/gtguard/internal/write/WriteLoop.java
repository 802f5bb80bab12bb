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
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one retry loop of every versioned write: sends the plan's attempt, and from its {@link
 * Outcome} decides to finish, retry on the item DynamoDB returned, follow a moved home, fail over,
 * or end with a typed exception that says truly whether anything was written. Retries are counted
 * and spaced by a Resilience4j {@link Retry} (asked for the pause, never left to sleep), and the
 * pause is taken by the injected {@link Waiter}.
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
  private final Waiter waiter;
  private final Supplier<String> tokens;

  public WriteLoop(
      ItemCodec codec,
      InputRules rules,
      Router router,
      WriteExecutor executor,
      WriteListener listeners,
      Retry retry,
      Waiter waiter,
      Supplier<String> tokens) {
    this.rules = rules;
    this.router = router;
    this.executor = executor;
    this.reader = new ItemReader(codec);
    this.decoder = new OutcomeDecoder(codec, reader, executor);
    this.nextWrite = new NextWriteCheck(codec);
    this.listeners = listeners;
    this.retry = retry;
    this.waiter = waiter;
    this.tokens = tokens;
  }

  /**
   * Runs {@code plan} starting where {@code routed} says. A replica there at a lower version than
   * the state that chose it (or without the item) has not caught up with it yet, and is waited for.
   */
  public Written run(WritePlan plan, Router.Routed routed) {
    return new Run(plan, routed.route(), routed.pointerVersion()).execute();
  }

  /** The state of one write. */
  private final class Run {
    final WritePlan plan;
    final ItemKey key;
    final String table = rules.table().tableName();
    final Retry.AsyncContext<Object> context = retry.asyncContext();
    final List<LostWrite> lost = new ArrayList<>();

    /** Attempts on the current base whose outcome is open; see {@link OutcomeDecoder}. */
    final List<VersionedWrite> pending = new ArrayList<>();

    Route route;
    Base base;
    long pointer;
    int attempts;
    VersionedWrite last;
    Throwable failoverCause;

    Run(WritePlan plan, Route route, long pointerVersion) {
      this.plan = plan;
      this.key = plan.key();
      this.route = route;
      this.pointer = pointerVersion;
    }

    Written execute() {
      base = plan.start();
      while (true) {
        if (base == null) {
          base = readHome();
          continue;
        }
        Outcome outcome;
        ExpectedVersion expected = plan.expected();
        if (expected != null && base.state() != null && !base.state().expected().equals(expected)) {
          outcome = new Outcome.Conflict(base.state(), null); // seen before sending anything
        } else {
          VersionedWrite write = plan.next(base, route, tokens.get());
          if (write == null) {
            context.onComplete();
            return new Written(base.state(), attempts, lost);
          }
          executor.check(write);
          attempts++;
          last = write;
          outcome = send(write);
        }
        Written done = decide(outcome);
        if (done != null) {
          return done;
        }
      }
    }

    Outcome send(VersionedWrite write) {
      try {
        return decoder.stored(write, base, route, executor.send(route, write));
      } catch (SdkException e) {
        return decoder.failed(write, base, route, pending, e);
      }
    }

    /** The finished write, or null to go round again. */
    Written decide(Outcome outcome) {
      if (outcome instanceof Outcome.Stored s) {
        context.onComplete();
        succeeded(s.item());
        return new Written(s.item(), attempts, lost);
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
        backoff(c.current().version(), c.cause(), null);
      } else if (outcome instanceof Outcome.Moved m) {
        pending.clear(); // conditional on the old home: can never apply
        if (!plan.retriesConflicts()) {
          throw versionConflict(m.current(), m.cause());
        }
        backoff(m.current().version(), m.cause(), null);
        reroute(m.home(), m.current().version());
        base = null;
      } else if (outcome instanceof Outcome.Contended c) {
        conflict(ConflictKind.REPLICATED_WRITE_CONFLICT, -1);
        backoff(version(), c.cause(), null);
        if (plan.retriesConflicts()) {
          base = null; // refused without the item: read it again
        }
      } else if (outcome instanceof Outcome.NotYetApplied n) {
        backoff(version(), n.cause(), null);
      } else if (outcome instanceof Outcome.NotFound n) {
        if (!route.checkHome() || pointer < 0) {
          throw notFound(n.cause());
        }
        // Sent here by a state that names this region: its replica may not have the item yet.
        backoff(pointer, n.cause(), () -> notFound(n.cause()));
        base = null;
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
      } else if (outcome instanceof Outcome.Unknown u) {
        throw unknown(u.cause());
      } else if (outcome instanceof Outcome.Interrupted i) {
        throw interrupted(i.mayHaveApplied(), i.cause());
      } else if (outcome instanceof Outcome.Failed f) {
        throw f.error();
      }
      return null;
    }

    /**
     * Reads the item strongly consistent where the write goes; with the attribute strategy, follows
     * the home attribute until a region's replica names itself. A replica at a lower version than
     * the one that sent us to it has not seen the move yet: wait and read again. (Versions only
     * grow along an item's history, and a move is a versioned write.) Only called with no attempt
     * pending: every outcome that re-reads cleared them.
     */
    Base readHome() {
      Optional<VersionedItem> found;
      try {
        found = reader.read(route.client(), key, true);
      } catch (SdkException e) {
        SdkFaults.Fault fault = SdkFaults.classify(e);
        if (fault.last() == SdkFaults.Delivery.INTERRUPTED) {
          throw interrupted(false, e);
        }
        if (!fault.neverSent()) {
          throw e; // a read that failed: nothing was written
        }
        route = router.failover(route, key, e);
        failoverCause = e;
        return null;
      }
      if (found.isEmpty()) {
        if (!route.checkHome() || pointer < 0) {
          throw notFound(null);
        }
        backoff(pointer, null, () -> notFound(null));
        return null;
      }
      VersionedItem item = found.get();
      if (!route.checkHome()) {
        return Base.of(rules.checkAdoptable(item, key));
      }
      String home = router.homeOf(key, item.attributes());
      if (home.equals(route.region())) {
        return Base.of(rules.checkAdoptable(item, key));
      }
      if (item.version() <= pointer) {
        backoff(item.version(), null, null);
      } else {
        reroute(home, item.version());
      }
      return null;
    }

    /**
     * Waits before the next attempt, or ends the write: with an exception that says the outcome is
     * open if an attempt is pending, with {@code whenExhausted}'s, or as retries exhausted.
     */
    void backoff(long lastSeenVersion, Throwable cause, Supplier<RuntimeException> whenExhausted) {
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
      try {
        waiter.await(delay);
      } catch (InterruptedException e) {
        throw interrupted(!pending.isEmpty(), e);
      }
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

    OutcomeUnknownException unknown(Throwable cause) {
      List<String> open = pending.stream().map(VersionedWrite::token).toList();
      if (open.isEmpty() && last != null) {
        open = List.of(last.token());
      }
      return new OutcomeUnknownException(table, key, route.region(), plan.operation(), open, cause);
    }

    WriteInterruptedException interrupted(boolean mayHaveApplied, Throwable cause) {
      Thread.currentThread().interrupt(); // the SDK or the waiter consumed the flag
      return new WriteInterruptedException(
          table, key, route.region(), plan.operation(), mayHaveApplied, cause);
    }
  }
}
