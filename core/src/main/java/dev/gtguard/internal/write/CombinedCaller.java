package dev.gtguard.internal.write;

import dev.gtguard.LostWrite;
import dev.gtguard.UpdateFunction;
import dev.gtguard.VersionedItem;
import dev.gtguard.internal.write.WriteLoop.Written;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * One caller of a combined update: its function, where it stands, and the future of its own result.
 * Its state changes under its own lock: a caller that withdraws (its thread was interrupted, its
 * future cancelled or timed out) is never evaluated after it withdrew, and whether it withdrew
 * before or after it was first evaluated decides whether it may have been written.
 */
final class CombinedCaller<T> {
  enum State {
    /** Waiting in its lane for a batch. */
    QUEUED,
    /** In a batch that is running. */
    TAKEN,
    /** Answered: its future is complete, or its thread was told. */
    DONE
  }

  /** What {@link #withdraw} found. */
  enum Withdrawal {
    /** Answered already: the future completes with the answer. */
    ANSWERED,
    /** No attempt carries its changes: not written. */
    NOT_CARRIED,
    /** An attempt may carry its changes. */
    CARRIED
  }

  final UpdateFunction function;
  final VersionedItem held;
  private final Function<Written, T> result;
  final Result future = new Result();

  /** Released when the future completes or (blocking tables) the caller's turn to drive comes. */
  final Semaphore wake = new Semaphore(0);

  /** Whether this caller's thread has to run the next batch of its lane (blocking tables). */
  volatile boolean turn;

  private State state = State.QUEUED;
  private final List<String> tokens = new ArrayList<>(2);
  private final List<LostWrite> lost = new ArrayList<>();
  private boolean evaluated;
  private boolean withdrawn;

  /** Why its function failed in the batch's latest evaluation, or {@code null}. */
  private RuntimeException failure;

  /** Whether its changes need a write of their own: they carry a condition of the caller's own. */
  private boolean alone;

  /** The batch this caller is in; what a withdrawal asks of it. */
  private volatile CombinedUpdatePlan batch;

  /** The write of a batch that carries this caller alone: a withdrawal stops it. */
  private CompletableFuture<?> ownWrite;

  CombinedCaller(UpdateFunction function, VersionedItem held, Function<Written, T> result) {
    this.function = function;
    this.held = held;
    this.result = result;
  }

  synchronized State state() {
    return state;
  }

  /** Taken into {@code plan}'s batch; false if it withdrew meanwhile. */
  synchronized boolean take(CombinedUpdatePlan plan) {
    if (state != State.QUEUED) {
      return false;
    }
    state = State.TAKEN;
    batch = plan;
    failure = null;
    alone = false;
    return true;
  }

  /**
   * Back in the queue: no attempt of the batch that carried its changes applied (the batch proved
   * it), so none of them counts any more if it withdraws while it waits for the next one.
   */
  synchronized void requeue() {
    if (state == State.TAKEN) {
      state = State.QUEUED;
      batch = null;
      ownWrite = null;
      tokens.clear();
    }
  }

  /**
   * The write of the batch that carries this caller alone; stopped at once if it withdrew
   * meanwhile.
   */
  void runsAlone(CompletableFuture<?> write) {
    synchronized (this) {
      if (!withdrawn) {
        ownWrite = write;
        return;
      }
    }
    write.cancel(false);
  }

  /**
   * Whether to evaluate this caller for the attempt storing {@code token}; records the token first,
   * so that a caller that withdraws afterwards knows that attempt may carry its changes.
   */
  synchronized boolean evaluate(String token) {
    if (withdrawn || failure != null || alone) {
      return false;
    }
    tokens.add(token);
    return true;
  }

  /** True the first time this caller is evaluated, in any batch. */
  synchronized boolean firstEvaluation() {
    boolean first = !evaluated;
    evaluated = true;
    return first;
  }

  /** A loss its held state shows: reported with its result. */
  synchronized void lost(LostWrite loss) {
    lost.add(loss);
  }

  synchronized List<LostWrite> lost() {
    return List.copyOf(lost);
  }

  /**
   * Its function (or the checks of its changes) threw: the attempt being built does not carry it,
   * and it takes part in no later one.
   */
  synchronized void failed(RuntimeException error) {
    failure = error;
    dropLastToken();
  }

  /** Its function returned no changes: the attempt being built does not carry it. */
  synchronized void unchanged() {
    dropLastToken();
  }

  /**
   * Its changes carry a condition of their own: the attempt being built does not carry them, and it
   * runs in a batch of its own after this one.
   */
  synchronized void alone() {
    alone = true;
    dropLastToken();
  }

  private void dropLastToken() {
    tokens.remove(tokens.size() - 1);
  }

  synchronized boolean needsOwnBatch() {
    return alone;
  }

  synchronized RuntimeException failure() {
    return failure;
  }

  /** The tokens of the attempts that may carry its changes. */
  synchronized List<String> tokens() {
    return List.copyOf(tokens);
  }

  /**
   * Withdraws: no later attempt carries its changes. If an attempt may already carry them, only
   * "outcome unknown" may be said about it.
   */
  synchronized Withdrawal withdraw() {
    if (state == State.DONE) {
      return Withdrawal.ANSWERED;
    }
    withdrawn = true;
    state = State.DONE;
    return tokens.isEmpty() ? Withdrawal.NOT_CARRIED : Withdrawal.CARRIED;
  }

  /** Marks it answered; false if it was answered (or withdrew) before. */
  synchronized boolean finish() {
    if (state == State.DONE) {
      return false;
    }
    state = State.DONE;
    return true;
  }

  /**
   * The caller's future. Cancelling it (or completing it from outside, e.g. by {@code orTimeout})
   * withdraws the caller: a queued caller was never written and its future is cancelled; a caller
   * an attempt may carry is answered with "outcome unknown", and {@link #cancel} returns false.
   */
  final class Result extends CompletableFuture<T> {
    /** Removes the caller from its lane's queue; set when it is queued. */
    volatile Runnable dequeue = () -> {};

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return switch (withdrawFrom()) {
        case ANSWERED -> false;
        case NOT_CARRIED -> super.cancel(mayInterruptIfRunning);
        case CARRIED -> {
          super.completeExceptionally(unknown(new CancellationException("cancelled")));
          yield false;
        }
      };
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
      return switch (withdrawFrom()) {
        case ANSWERED -> false;
        case NOT_CARRIED -> super.completeExceptionally(ex);
        case CARRIED -> super.completeExceptionally(unknown(ex));
      };
    }

    /** The caller's own answer. */
    void succeed(Written written) {
      super.complete(result.apply(written));
    }

    /** The caller's own failure. */
    void fail(Throwable error) {
      super.completeExceptionally(error);
    }

    private Withdrawal withdrawFrom() {
      if (isDone()) {
        return Withdrawal.ANSWERED;
      }
      dequeue.run();
      Withdrawal withdrawal = withdraw();
      CompletableFuture<?> write;
      synchronized (CombinedCaller.this) {
        write = ownWrite;
      }
      if (write != null && withdrawal != Withdrawal.ANSWERED) {
        write.cancel(false); // it carries no one else: no further attempt (nor read) is sent
      }
      return withdrawal;
    }
  }

  /** "Outcome unknown" for this caller, naming the attempts that may carry its changes. */
  RuntimeException unknown(Throwable cause) {
    return batch.unknown(this, cause);
  }
}
