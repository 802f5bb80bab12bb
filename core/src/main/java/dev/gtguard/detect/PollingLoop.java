package dev.gtguard.detect;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a poller's passes, on demand or on a background thread, one at a time, and stops them: once
 * {@link #awaitStopped} returns true, no pass runs and none will. Stopping never interrupts a pass
 * (it would interrupt a user callback in the middle of a delivery); a pass asks {@link #closed()}
 * between steps instead.
 */
final class PollingLoop {
  private static final Logger LOG = LoggerFactory.getLogger(PollingLoop.class);

  private final String name;
  private final Duration interval;

  /** Held for a pass: passes never overlap, and stopping waits for the one in progress. */
  private final ReentrantLock passLock = new ReentrantLock();

  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile boolean closed;
  private Thread thread; // guarded by this

  PollingLoop(String name, Duration interval) {
    this.name = name;
    this.interval = interval;
  }

  boolean closed() {
    return closed;
  }

  /**
   * Runs one pass on the calling thread, after the one in progress, if any.
   *
   * @throws IllegalStateException if closed
   */
  <T> T runPass(Supplier<T> pass) {
    passLock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("poller is closed");
      }
      return pass.get();
    } finally {
      passLock.unlock();
    }
  }

  /**
   * Runs passes on a daemon thread, the interval apart, until closed. A failing pass is logged and
   * the next one comes after the interval; only a {@link VirtualMachineError} ends the thread.
   *
   * @throws IllegalStateException if already started or closed
   */
  synchronized void start(Runnable pass) {
    if (closed) {
      throw new IllegalStateException("poller is closed");
    }
    if (thread != null) {
      throw new IllegalStateException("poller already started");
    }
    thread = new Thread(() -> loop(pass), name);
    thread.setDaemon(true);
    thread.start();
  }

  /** No pass starts from now on; one in progress stops at its next step. */
  void requestStop() {
    closed = true;
    closing.countDown();
  }

  /**
   * Waits until the background thread has ended and no pass runs on another thread. From inside a
   * pass (a callback that closes its poller) it does not wait: the pass ends when it returns.
   *
   * @return false if that did not happen within the timeout
   */
  boolean awaitStopped(long timeoutNanos) throws InterruptedException {
    if (passLock.isHeldByCurrentThread()) {
      // Called from inside a pass: waiting here could only wait for ourselves (or for a background
      // thread queued behind this pass). The pass sees closed() and ends when the callback returns.
      return true;
    }
    long deadline = System.nanoTime() + timeoutNanos;
    Thread running;
    synchronized (this) {
      running = thread;
    }
    if (running != null && running != Thread.currentThread()) {
      TimeUnit.NANOSECONDS.timedJoin(running, Math.max(0, deadline - System.nanoTime()));
      if (running.isAlive()) {
        return false;
      }
    }
    if (!passLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      return false;
    }
    passLock.unlock();
    return true;
  }

  private void loop(Runnable pass) {
    try {
      while (!closed) {
        passLock.lock();
        try {
          if (!closed) {
            pass.run();
          }
        } catch (VirtualMachineError fatal) {
          throw fatal;
        } catch (Throwable e) {
          LOG.warn("{}: a pass failed; trying again in {} ms", name, interval.toMillis(), e);
        } finally {
          passLock.unlock();
        }
        if (closing.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // Nobody but close() should stop this thread, and close() does not interrupt: say so.
      LOG.warn("{} was interrupted; it stops", name);
      requestStop();
    }
  }
}
