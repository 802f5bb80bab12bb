package dev.gtguard.internal.write;

import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.LostWrite;
import dev.gtguard.VersionedItem;
import dev.gtguard.internal.InputRules;
import dev.gtguard.internal.ItemCodec;
import dev.gtguard.spi.WriteListener;
import io.github.resilience4j.retry.Retry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one retry loop of every versioned write: sends the plan's attempt, and from its {@link
 * Outcome} (see {@link WriteRun}, the state of one write) decides to finish, retry on the item
 * DynamoDB returned, follow a moved home, fail over, or end with a typed exception that says truly
 * whether anything was written. Retries are counted and spaced by a Resilience4j {@link Retry}
 * (asked for the pause, never left to sleep).
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

  final InputRules rules;
  final Router router;
  final WriteExecutor executor;
  final ItemReader reader;
  final OutcomeDecoder decoder;
  final NextWriteCheck nextWrite;
  final WriteListener listeners;
  final Retry retry;
  final ConflictRetryPolicy retryPolicy;
  final Transport transport;
  final Supplier<String> tokens;

  public WriteLoop(
      ItemCodec codec,
      InputRules rules,
      Router router,
      WriteExecutor executor,
      WriteListener listeners,
      Retry retry,
      ConflictRetryPolicy retryPolicy,
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
    this.retryPolicy = retryPolicy;
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
    WriteRun<T> run =
        routed == null
            ? new WriteRun<>(this, plan, null, -1, result)
            : new WriteRun<>(this, plan, routed.route(), routed.pointerVersion(), result);
    transport.start(run::loop);
    return run.future;
  }
}
