package dev.gtguard.internal.write;

import dev.gtguard.ItemKey;
import dev.gtguard.SameItemUpdates;
import dev.gtguard.UpdateFunction;
import dev.gtguard.VersionedItem;
import dev.gtguard.exception.WriteInterruptedException;
import dev.gtguard.internal.write.CombinedCaller.Withdrawal;
import dev.gtguard.internal.write.CombinedUpdatePlan.Answer;
import dev.gtguard.internal.write.WriteLoop.Written;
import dev.gtguard.spi.WriteOperation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Queued updates and hot-key write combining: the read-modify-retry updates that callers of one
 * table make to one item while a write to it is under way queue in that item's lane. One write per
 * item is in flight at a time, so the callers of one process never conflict with each other; each
 * is answered on its own. Queued ({@link SameItemUpdates#QUEUED}), the next write carries the first
 * caller in the queue; combined ({@link SameItemUpdates#COMBINED}), all of them ({@link
 * CombinedUpdatePlan}).
 *
 * <p>Who runs a lane's next batch: with a blocking transport, the thread of the first caller in the
 * queue (a caller's thread never runs a batch it is not in, so its call ends with its own batch);
 * with an asynchronous one, the completion of the previous batch starts it on the executor.
 */
public final class UpdateCombiner {
  private final WriteRequests requests;
  private final WriteLoop loop;
  private final boolean blocking;
  private final SameItemUpdates mode;
  private final int maxBatch;
  private final ConcurrentHashMap<ItemKey, Lane> lanes = new ConcurrentHashMap<>();

  /** Set while this thread runs a batch of this table (blocking): an update from it would wait. */
  private final ThreadLocal<Boolean> driving = new ThreadLocal<>();

  /** The callers waiting for one item, and whether a batch for it is under way. */
  private static final class Lane {
    final ArrayDeque<CombinedCaller<?>> queue = new ArrayDeque<>(4);

    /** Callers whose changes carry their own condition: one batch each, first (combined only). */
    final ArrayDeque<CombinedCaller<?>> alone = new ArrayDeque<>(1);

    boolean running;

    /** Removed from the map: a caller that finds it so takes a new lane. */
    boolean retired;
  }

  /**
   * @param mode {@link SameItemUpdates#QUEUED} or {@link SameItemUpdates#COMBINED}
   */
  UpdateCombiner(WriteRequests requests, WriteLoop loop, boolean blocking, SameItemUpdates mode) {
    if (mode == SameItemUpdates.CONCURRENT) {
      throw new IllegalArgumentException("concurrent updates need no lanes");
    }
    this.requests = requests;
    this.loop = loop;
    this.blocking = blocking;
    this.mode = mode;
    this.maxBatch = mode == SameItemUpdates.QUEUED ? 1 : Integer.MAX_VALUE;
  }

  SameItemUpdates mode() {
    return mode;
  }

  /**
   * Runs an update of the item with {@code key} (read first) or of {@code held}, combined with the
   * other callers' updates to the same item, on the calling thread (blocking transport).
   *
   * @param held the item as the caller holds it, or {@code null}
   */
  public Written run(ItemKey key, VersionedItem held, UpdateFunction function) {
    if (driving.get() != null) {
      // Its batch cannot end before this update does, which waits for the batch: say so instead.
      throw new IllegalStateException(
          "an update function or listener of table "
              + requests.tableName()
              + " updated an item of the same table; with SameItemUpdates."
              + mode
              + " that update would wait for the one running it (nothing was written)");
    }
    CombinedCaller<Written> caller = new CombinedCaller<>(function, held, written -> written);
    caller.future.whenComplete((written, error) -> caller.wake.release());
    Lane lane = enqueue(key, caller);
    while (true) {
      try {
        caller.wake.acquire();
      } catch (InterruptedException e) {
        caller.future.dequeue.run();
        Withdrawal withdrawal = caller.withdraw();
        Thread.currentThread().interrupt();
        if (withdrawal == Withdrawal.ANSWERED) {
          return Futures.join(caller.future); // its batch completes the future right away
        }
        throw new WriteInterruptedException(
            requests.tableName(),
            key,
            requests.localRegion(),
            WriteOperation.UPDATE,
            withdrawal == Withdrawal.CARRIED,
            e);
      }
      if (caller.future.isDone()) {
        return Futures.join(caller.future);
      }
      if (caller.turn) {
        caller.turn = false;
        drive(key, lane, caller);
      }
    }
  }

  /** Starts an update as {@link #run} does (asynchronous transport); see {@link CombinedCaller}. */
  public <T> CompletableFuture<T> start(
      ItemKey key, VersionedItem held, UpdateFunction function, Function<Written, T> result) {
    CombinedCaller<T> caller = new CombinedCaller<>(function, held, result);
    enqueue(key, caller);
    return caller.future;
  }

  /** Queues {@code caller}; if no batch is under way, this caller's batch starts now. */
  private Lane enqueue(ItemKey key, CombinedCaller<?> caller) {
    while (true) {
      Lane lane = lanes.computeIfAbsent(key, k -> new Lane());
      boolean first;
      synchronized (lane) {
        if (lane.retired) {
          continue;
        }
        lane.queue.addLast(caller);
        first = !lane.running;
        lane.running = true;
      }
      caller.future.dequeue = () -> dequeue(key, lane, caller);
      if (first) {
        handOver(key, lane);
      }
      return lane;
    }
  }

  /** The next batch is this lane's first caller's turn (blocking), or starts now (asynchronous). */
  private void handOver(ItemKey key, Lane lane) {
    if (!blocking) {
      drive(key, lane, null);
      return;
    }
    CombinedCaller<?> next;
    synchronized (lane) {
      next = !lane.alone.isEmpty() ? lane.alone.peekFirst() : lane.queue.peekFirst();
      if (next == null) {
        retire(key, lane);
        return;
      }
      next.turn = true;
    }
    next.wake.release();
  }

  /** Takes the lane's next batch and runs it; {@code driver} is the caller whose thread runs it. */
  private void drive(ItemKey key, Lane lane, CombinedCaller<?> driver) {
    List<CombinedCaller<?>> batch = new ArrayList<>();
    synchronized (lane) {
      if (!lane.alone.isEmpty()) {
        batch.add(lane.alone.pollFirst());
      } else {
        while (!lane.queue.isEmpty() && batch.size() < maxBatch) {
          batch.add(lane.queue.pollFirst());
        }
      }
      if (batch.isEmpty()) {
        retire(key, lane);
        return;
      }
    }
    WriteRequests.Request request = requests.combined(key, batch, loop);
    CombinedUpdatePlan plan = (CombinedUpdatePlan) request.plan();
    batch.removeIf(caller -> !caller.take(plan)); // withdrew meanwhile: already answered
    if (batch.isEmpty()) {
      handOver(key, lane);
      return;
    }
    CompletableFuture<Written> write;
    if (blocking) {
      driving.set(Boolean.TRUE); // the whole write runs on this thread, in this call
    }
    try {
      write = loop.start(plan, request.routed(), written -> written);
    } catch (RuntimeException e) { // e.g. an executor that refuses the first step: nothing sent
      write = CompletableFuture.failedFuture(e);
    } finally {
      driving.remove();
    }
    if (batch.size() == 1) {
      batch.get(0).runsAlone(write);
    }
    write.whenComplete((written, error) -> ended(key, lane, plan, batch, written, error, driver));
  }

  private void ended(
      ItemKey key,
      Lane lane,
      CombinedUpdatePlan plan,
      List<CombinedCaller<?>> batch,
      Written written,
      Throwable error,
      CombinedCaller<?> driver) {
    Throwable failure = error == null ? null : Futures.unwrap(error);
    List<CombinedCaller<?>> again = new ArrayList<>();
    List<CombinedCaller<?>> alone = new ArrayList<>();
    for (CombinedCaller<?> caller : batch) {
      if (caller.state() == CombinedCaller.State.DONE) {
        continue; // withdrew, and was answered then
      }
      Answer answer =
          failure == null
              ? plan.succeeded(caller, written)
              : plan.failed(caller, failure, caller == driver);
      if (answer != Answer.ANSWERED) {
        caller.requeue();
        (answer == Answer.ALONE ? alone : again).add(caller);
      }
    }
    synchronized (lane) {
      for (int i = again.size() - 1; i >= 0; i--) {
        lane.queue.addFirst(again.get(i));
      }
      lane.alone.addAll(alone);
    }
    handOver(key, lane);
  }

  /** Takes a caller that withdrew out of the queue; hands its turn on if it had it. */
  private void dequeue(ItemKey key, Lane lane, CombinedCaller<?> caller) {
    boolean hadTurn;
    synchronized (lane) {
      boolean queued = lane.queue.remove(caller) || lane.alone.remove(caller);
      hadTurn = queued && caller.turn;
      caller.turn = false;
    }
    if (hadTurn) {
      handOver(key, lane);
    }
  }

  /** The end of a lane with nothing queued: a later caller starts a new one. */
  private void retire(ItemKey key, Lane lane) {
    lane.running = false;
    lane.retired = true;
    lanes.remove(key, lane);
  }
}
