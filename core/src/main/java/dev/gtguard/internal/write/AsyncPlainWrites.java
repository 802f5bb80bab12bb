package dev.gtguard.internal.write;

import com.github.f4b6a3.ulid.UlidCreator;
import dev.gtguard.Changes;
import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.ExpectedVersion;
import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.TableDescription;
import dev.gtguard.UpdateFunction;
import dev.gtguard.VersionedItem;
import dev.gtguard.exception.ConditionNotMetException;
import dev.gtguard.exception.HomeRegionUnavailableException;
import dev.gtguard.exception.ItemAlreadyExistsException;
import dev.gtguard.exception.ItemNotFoundException;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.exception.RetriesExhaustedException;
import dev.gtguard.exception.VersionConflictException;
import dev.gtguard.internal.ConflictRetries;
import dev.gtguard.internal.ConflictSignal;
import dev.gtguard.internal.InputRules;
import dev.gtguard.internal.ItemCodec;
import dev.gtguard.internal.Listeners;
import dev.gtguard.internal.write.WriteLoop.Written;
import dev.gtguard.spi.ConflictKind;
import dev.gtguard.spi.RetriesExhausted;
import dev.gtguard.spi.WriteConflict;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spi.WriteSucceeded;
import io.github.resilience4j.retry.Retry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The first vertical slice of the asynchronous write path (issue 14; design in {@code
 * docs/async-design.md}). <b>Not API.</b> One region, no home routing or failover, no write ledger.
 *
 * <p>Shared with the blocking table: the plans ({@link Plans}, which run the update function), the
 * requests ({@link VersionedWrite}), the outcome decoding ({@link OutcomeDecoder}), the retry
 * policy and its jitter ({@link ConflictRetries}), the next-write check and the listeners.
 * Different: sending ({@link AsyncWriteExecutor}), waiting (a retry is scheduled on {@code
 * scheduler}, no thread sleeps) and the loop, which is a chain of futures.
 *
 * <p>Threads: every step, including the update function and listeners, runs on {@code executor};
 * SDK completion threads only hand off to it, and {@code scheduler} only submits to it. The
 * returned future is completed on {@code executor}, exceptionally with the same typed exception the
 * blocking table throws (not wrapped: {@code join()} wraps it once in {@code CompletionException}).
 *
 * <p>When an attempt may have been applied and DynamoDB returned no item, the outcome is resolved
 * as the blocking decoder does ({@link OutcomeDecoder#failedBeforeRead}, an asynchronous strongly
 * consistent read, {@link OutcomeDecoder#failedAfterRead}). Not yet shared: the decision table
 * below mirrors {@code WriteLoop.Run.decide} for the outcomes one region without a home attribute
 * can produce, until that method is extracted and shared.
 */
public final class AsyncPlainWrites {
  private final InputRules rules;
  private final ItemCodec codec;
  private final DynamoDbAsyncClient client;
  private final Route route;
  private final AsyncWriteExecutor sender = new AsyncPlainExecutor();
  private final OutcomeDecoder decoder;
  private final NextWriteCheck nextWrite;
  private final Listeners listeners;
  private final Retry retry;
  private final ScheduledExecutorService scheduler;
  private final Executor executor;
  private final Supplier<String> tokens = () -> UlidCreator.getUlid().toString();

  /**
   * @param region the region {@code client} writes to (reported in exceptions and events)
   * @param scheduler spaces retries; it only submits the next step to {@code executor}
   * @param executor runs every step of a write, the update function and listeners included
   */
  public AsyncPlainWrites(
      TableDescription table,
      DynamoDbAsyncClient client,
      String region,
      ConflictRetryPolicy retryPolicy,
      List<WriteListener> listeners,
      ScheduledExecutorService scheduler,
      Executor executor) {
    this.rules = new InputRules(table);
    this.codec = new ItemCodec(rules);
    this.client = Objects.requireNonNull(client, "client");
    // No blocking client: nothing in this slice's use of the decoder reads through one.
    this.route = new Route(Objects.requireNonNull(region, "region"), null, null, null);
    this.decoder = new OutcomeDecoder(codec, new ItemReader(codec), new PlainExecutor());
    this.nextWrite = new NextWriteCheck(codec);
    this.listeners = new Listeners(listeners);
    this.retry =
        ConflictRetries.create(
            "gtguard-async-" + table.tableName(), retryPolicy, table.tableName(), this.listeners);
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /** Creates {@code item}; a taken key ends it with {@link ItemAlreadyExistsException}. */
  public CompletableFuture<Written> create(Map<String, AttributeValue> item) {
    return start(() -> Plans.create(rules, rules.checkCreate(item), Map.copyOf(item)));
  }

  /** Read-modify-retry: reads the item (strongly consistent), then as the blocking table. */
  public CompletableFuture<Written> update(ItemKey key, UpdateFunction function) {
    Objects.requireNonNull(function, "function");
    return start(() -> Plans.update(rules, null, rules.validate(key), null, function));
  }

  /** Read-modify-retry from a held item: no initial read. */
  public CompletableFuture<Written> update(VersionedItem held, UpdateFunction function) {
    Objects.requireNonNull(held, "held");
    Objects.requireNonNull(function, "function");
    return start(() -> Plans.update(rules, null, rules.keyOf(held.attributes()), held, function));
  }

  /** Single-shot update: one conditional write, no retry. */
  public CompletableFuture<Written> update(ItemKey key, ExpectedVersion expected, Changes changes) {
    return start(
        () ->
            Plans.singleShot(
                rules,
                null,
                rules.validate(key),
                Objects.requireNonNull(expected, "expected"),
                Objects.requireNonNull(changes, "changes"),
                false,
                null));
  }

  /** Reads the item strongly consistent; completes on {@code executor}. */
  public CompletableFuture<Optional<VersionedItem>> get(ItemKey key) {
    return read(key).thenApplyAsync(found -> found, executor).exceptionallyCompose(this::unwrapped);
  }

  private CompletableFuture<Optional<VersionedItem>> read(ItemKey key) {
    return client
        .getItem(
            GetItemRequest.builder()
                .tableName(rules.table().tableName())
                .key(key.asMap())
                .consistentRead(true)
                .build())
        .thenApply(
            response ->
                response.hasItem() && !response.item().isEmpty()
                    ? Optional.of(codec.read(response.item(), key))
                    : Optional.empty());
  }

  private <T> CompletableFuture<T> unwrapped(Throwable e) {
    return CompletableFuture.failedFuture(unwrap(e));
  }

  private CompletableFuture<Written> start(Supplier<WritePlan> plan) {
    WritePlan built;
    try {
      built = plan.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e); // bad input: nothing sent
    }
    Run run = new Run(built);
    executor.execute(run::step);
    return run.result;
  }

  /** The SDK's failure itself, as its blocking client would have thrown it. */
  static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The future of one write; cancelling it after an attempt was sent reports outcome unknown. */
  private static final class Result extends CompletableFuture<Written> {
    private final Run run;

    Result(Run run) {
      this.run = run;
    }

    /**
     * Stops the write. If an attempt may have been applied, the future completes exceptionally with
     * {@link OutcomeUnknownException} instead (and this returns false): a sent attempt is never
     * reported as not written.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      synchronized (run) {
        if (run.mayHaveApplied) {
          completeExceptionally(
              run.unknown(new CancellationException("cancelled after an attempt was sent")));
          return false;
        }
        return super.cancel(mayInterruptIfRunning);
      }
    }

    /**
     * A completion from outside the loop ({@code orTimeout}, a caller's own) while an attempt may
     * have been applied becomes {@link OutcomeUnknownException} with it as the cause.
     */
    @Override
    public boolean completeExceptionally(Throwable ex) {
      synchronized (run) {
        if (run.mayHaveApplied && !(ex instanceof OutcomeUnknownException)) {
          return super.completeExceptionally(run.unknown(ex));
        }
        return super.completeExceptionally(ex);
      }
    }

    /** The loop's own end: its exception as the blocking table would throw it. */
    void fail(Throwable ex) {
      super.completeExceptionally(ex);
    }
  }

  /** The state of one write. Steps run one at a time, each on {@code executor}. */
  private final class Run {
    final WritePlan plan;
    final ItemKey key;
    final String table = rules.table().tableName();
    final Retry.AsyncContext<Object> context = retry.asyncContext();
    final List<LostWrite> lost = new ArrayList<>();
    final List<VersionedWrite> pending = new CopyOnWriteArrayList<>();
    final Result result = new Result(this);

    Base base;
    int attempts;
    volatile VersionedWrite last;

    /** From sending an attempt until it is proven not applied. */
    volatile boolean mayHaveApplied;

    Run(WritePlan plan) {
      this.plan = plan;
      this.key = plan.key();
      this.base = plan.start();
    }

    /** Sends the next attempt (reading the base first if there is none). */
    void step() {
      if (result.isDone()) {
        return; // cancelled: no further attempt
      }
      try {
        if (base == null) {
          read(key)
              .whenCompleteAsync((found, error) -> guarded(() -> based(found, error)), executor);
          return;
        }
        ExpectedVersion expected = plan.expected();
        if (expected != null && base.state() != null && !base.state().expected().equals(expected)) {
          decide(new Outcome.Conflict(base.state(), null));
          return;
        }
        VersionedWrite write = plan.next(base, route, tokens.get()); // the update function
        if (write == null) {
          context.onComplete();
          result.complete(new Written(base.state(), attempts, lost));
          return;
        }
        sender.check(write);
        last = write; // before claiming: a cancel that sees the claim reports this token
        if (!claimSend()) {
          return; // cancelled while the attempt was built: not sent
        }
        attempts++;
        sender
            .send(client, write)
            .whenCompleteAsync(
                (returned, error) -> guarded(() -> received(write, returned, error)), executor);
      } catch (RuntimeException e) {
        result.fail(e);
      }
    }

    /** Marks an attempt as sent unless the write was cancelled; atomic with {@code cancel}. */
    synchronized boolean claimSend() {
      if (result.isDone()) {
        return false;
      }
      mayHaveApplied = true;
      return true;
    }

    /** After an attempt was proven not applied. */
    synchronized void provenNotApplied() {
      if (pending.isEmpty()) {
        mayHaveApplied = false;
      }
    }

    void guarded(Runnable r) {
      try {
        r.run();
      } catch (RuntimeException e) {
        result.fail(e);
      } catch (Error e) {
        result.fail(e);
        throw e;
      }
    }

    void based(Optional<VersionedItem> found, Throwable error) {
      if (error != null) {
        Throwable cause = unwrap(error);
        if (cause instanceof SdkException e && SdkFaults.classify(e).neverSent()) {
          throw new HomeRegionUnavailableException(table, key, route.region(), e);
        }
        result.fail(cause); // a read that failed: nothing was written
        return;
      }
      if (found.isEmpty()) {
        throw notFound(null);
      }
      base = Base.of(rules.checkAdoptable(found.get(), key));
      step();
    }

    void received(VersionedWrite write, Map<String, AttributeValue> returned, Throwable error) {
      Outcome outcome;
      if (error == null) {
        outcome = decoder.stored(write, base, route, returned);
      } else {
        Throwable cause = unwrap(error);
        if (!(cause instanceof SdkException e)) {
          throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
        }
        outcome = decoder.failedBeforeRead(write, base, route, pending, e);
        if (outcome == null) {
          // An attempt may have been applied: the item tells, read without blocking.
          read(write.key())
              .whenCompleteAsync(
                  (now, readError) -> guarded(() -> resolved(write, e, now, readError)), executor);
          return;
        }
      }
      settled(outcome);
    }

    /** As the blocking decoder, once the read that resolves an open outcome has answered. */
    void resolved(
        VersionedWrite write, SdkException e, Optional<VersionedItem> now, Throwable readError) {
      if (readError == null) {
        settled(decoder.failedAfterRead(write, base, route, pending, e, now.orElse(null)));
      } else if (unwrap(readError) instanceof SdkException readFailure) {
        settled(decoder.readFailed(e, readFailure));
      } else {
        e.addSuppressed(unwrap(readError));
        settled(new Outcome.Unknown(e));
      }
    }

    void settled(Outcome outcome) {
      if (!(outcome instanceof Outcome.Stored) && !(outcome instanceof Outcome.Unknown)) {
        provenNotApplied();
      }
      if (result.isDone()) {
        return; // cancelled meanwhile, and already reported
      }
      decide(outcome);
    }

    /** As {@code WriteLoop.Run.decide}, for one region without a home attribute. */
    void decide(Outcome outcome) {
      if (outcome instanceof Outcome.Stored s) {
        context.onComplete();
        listeners.onWriteSucceeded(
            new WriteSucceeded(
                table,
                key,
                route.region(),
                plan.operation(),
                s.item() == null ? 0 : s.item().version(),
                s.item() == null ? null : s.item().writeToken().orElse(null),
                attempts));
        result.complete(new Written(s.item(), attempts, lost));
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
        backoff(c.current().version(), c.cause());
      } else if (outcome instanceof Outcome.Contended c) {
        conflict(ConflictKind.REPLICATED_WRITE_CONFLICT, -1);
        long version = version();
        if (plan.retriesConflicts()) {
          base = null; // refused without the item: read it again
        }
        backoff(version, c.cause()); // last: the next step may run at once
      } else if (outcome instanceof Outcome.NotYetApplied n) {
        backoff(version(), n.cause());
      } else if (outcome instanceof Outcome.NotFound n) {
        throw notFound(n.cause());
      } else if (outcome instanceof Outcome.AlreadyExists a) {
        throw new ItemAlreadyExistsException(table, key, route.region(), a.existing(), a.cause());
      } else if (outcome instanceof Outcome.ConditionNotMet c) {
        throw new ConditionNotMetException(table, key, route.region(), c.current(), c.cause());
      } else if (outcome instanceof Outcome.Unreachable u) {
        throw new HomeRegionUnavailableException(table, key, route.region(), u.cause());
      } else if (outcome instanceof Outcome.Unknown u) {
        throw unknown(u.cause());
      } else if (outcome instanceof Outcome.Interrupted i) {
        // No thread of ours is interrupted: the SDK aborted the call (e.g. its client closed).
        if (i.mayHaveApplied()) {
          throw unknown(i.cause());
        }
        throw i.cause() instanceof RuntimeException r ? r : new CompletionException(i.cause());
      } else if (outcome instanceof Outcome.Failed f) {
        throw f.error();
      } else {
        throw new IllegalStateException("not produced without a home attribute: " + outcome);
      }
    }

    /** Schedules the next step, or ends the write as the blocking loop does. */
    void backoff(long lastSeenVersion, Throwable cause) {
      long delay = context.onError(new ConflictSignal(key, route.region(), cause));
      if (delay < 0) {
        if (!pending.isEmpty()) {
          throw unknown(cause);
        }
        listeners.onRetriesExhausted(
            new RetriesExhausted(table, key, route.region(), attempts, lastSeenVersion));
        throw new RetriesExhaustedException(
            table, key, route.region(), attempts, lastSeenVersion, cause);
      }
      scheduler.schedule(() -> executor.execute(this::step), delay, TimeUnit.MILLISECONDS);
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
      VersionedWrite sent = last;
      if (open.isEmpty() && sent != null) {
        open = List.of(sent.token());
      }
      return new OutcomeUnknownException(table, key, route.region(), plan.operation(), open, cause);
    }
  }
}
