package dev.gtguard.testkit.internal;

import dev.gtguard.testkit.Lag;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Replication from one region to another: a FIFO of changes read from the source's stream, each
 * applied to the destination once its lag has passed, with last-writer-wins per item. Order per
 * source is kept, as the service keeps it, even when jitter would let a later change overtake.
 */
public final class PairReplicator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PairReplicator.class);

  /** One change to apply: the item's new image (empty for a delete) and its origin stamp. */
  public record Change(
      ItemRef ref, Stamp stamp, Map<String, AttributeValue> image, long dueMillis) {}

  private final Replica source;
  private final Replica destination;
  private final Deque<Change> queue = new ArrayDeque<>();
  private final Thread thread;
  private final AtomicLong replicated;
  private final AtomicLong discarded;
  private volatile Lag lag;
  private boolean paused;
  private boolean inFlight;
  private boolean closed;
  private long lastDue;

  public PairReplicator(
      Replica source, Replica destination, Lag lag, AtomicLong replicated, AtomicLong discarded) {
    this.source = source;
    this.destination = destination;
    this.lag = lag;
    this.replicated = replicated;
    this.discarded = discarded;
    this.thread =
        new Thread(this::run, "replicator-" + source.region + "-to-" + destination.region);
    thread.setDaemon(true);
    thread.start();
  }

  public String from() {
    return source.region;
  }

  public String to() {
    return destination.region;
  }

  public void lag(Lag lag) {
    this.lag = lag;
  }

  public synchronized void enqueue(ItemRef ref, Stamp stamp, Map<String, AttributeValue> image) {
    long due = Math.max(lastDue, System.currentTimeMillis() + lag.sampleMillis());
    lastDue = due;
    queue.addLast(new Change(ref, stamp, image, due));
    notifyAll();
  }

  /** Holds changes back (a pause or a partition) or lets them flow again. */
  public synchronized void paused(boolean paused) {
    this.paused = paused;
    if (!paused) {
      // Changes held back during a partition flow out at once on heal, in order.
      lastDue = Math.min(lastDue, System.currentTimeMillis());
    }
    notifyAll();
  }

  public synchronized boolean isPaused() {
    return paused;
  }

  /** Changes queued or being applied. */
  public synchronized int backlog() {
    return queue.size() + (inFlight ? 1 : 0);
  }

  private void run() {
    while (true) {
      Change next;
      synchronized (this) {
        while (!closed
            && (paused
                || queue.isEmpty()
                || queue.peekFirst().dueMillis() > System.currentTimeMillis())) {
          long wait =
              paused || queue.isEmpty()
                  ? 0
                  : Math.max(1, queue.peekFirst().dueMillis() - System.currentTimeMillis());
          try {
            wait(wait);
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        next = queue.pollFirst();
        inFlight = true;
      }
      try {
        apply(next);
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.warn("replicating {} from {} to {} failed", next.ref(), from(), to(), e);
      } finally {
        synchronized (this) {
          inFlight = false;
          notifyAll();
        }
      }
    }
  }

  private void apply(Change change) {
    ItemRef ref = change.ref();
    ItemLock lock = destination.lock(ref);
    Object key = lock.lock();
    try {
      if (!change.stamp().after(destination.stamp(ref))) {
        discarded.incrementAndGet();
        LOG.debug("LWW: {} in {} keeps its later write; change from {} dropped", ref, to(), from());
        return;
      }
      Map<String, AttributeValue> before = destination.read(ref);
      if (!Values.sameItem(before, change.image())) {
        if (change.image().isEmpty()) {
          destination.raw.deleteItem(r -> r.tableName(ref.table()).key(ref.key()));
        } else {
          destination.raw.putItem(r -> r.tableName(ref.table()).item(change.image()));
        }
        destination.expect(ref, new Replica.Expected(change.stamp(), true, change.image()));
      }
      destination.adopt(ref, change.stamp());
      replicated.incrementAndGet();
    } finally {
      lock.unlock(key);
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    thread.interrupt();
  }
}
