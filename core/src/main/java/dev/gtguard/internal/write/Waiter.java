package dev.gtguard.internal.write;

/**
 * How the retry loop waits before its next attempt: the blocking table sleeps; an asynchronous one
 * will schedule instead. Injected, so that tests can count the pauses without taking them.
 */
@FunctionalInterface
public interface Waiter {
  /** Sleeps the calling thread. */
  Waiter SLEEP = Thread::sleep;

  /**
   * Waits {@code millis} milliseconds.
   *
   * @throws InterruptedException if the thread was interrupted while waiting
   */
  void await(long millis) throws InterruptedException;
}
