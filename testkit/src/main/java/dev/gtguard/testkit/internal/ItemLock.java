package dev.gtguard.testkit.internal;

/**
 * The lock of one item in one region, held by an owner that need not be a thread: a blocking write
 * holds it on its thread, as a {@link java.util.concurrent.locks.ReentrantLock} would, an
 * asynchronous write for its whole execution, whichever threads that runs on, and releases it from
 * any of them.
 *
 * <p>Re-entrant for its owner, and for any owner on the thread that holds it as its own: a write
 * nested in a blocking one (as in a fault's {@code meanwhile}) goes ahead, as it would with a
 * re-entrant lock. Waiting is not interruptible, as {@link
 * java.util.concurrent.locks.ReentrantLock#lock()}; an interrupt is kept for the caller.
 */
public final class ItemLock {
  private Object owner;
  private int holds;

  /**
   * Takes the lock for {@code candidate}, waiting while another owner holds it.
   *
   * @return the key to {@link #unlock} it with: {@code candidate}, or the owner re-entered
   */
  public synchronized Object lock(Object candidate) {
    Thread me = Thread.currentThread();
    boolean interrupted = false;
    while (owner != null && owner != candidate && owner != me) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      me.interrupt();
    }
    if (owner == null) {
      owner = candidate;
    }
    holds++;
    return owner;
  }

  /** Takes the lock for the current thread; returns the key to unlock it with. */
  public Object lock() {
    return lock(Thread.currentThread());
  }

  /**
   * Gives back one hold taken with {@code key}.
   *
   * @throws IllegalMonitorStateException if {@code key} does not hold the lock
   */
  public synchronized void unlock(Object key) {
    if (holds == 0 || owner != key) {
      throw new IllegalMonitorStateException("not held by " + key + " but by " + owner);
    }
    if (--holds == 0) {
      owner = null;
      notifyAll();
    }
  }
}
