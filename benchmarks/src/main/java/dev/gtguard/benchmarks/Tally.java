package dev.gtguard.benchmarks;

import java.util.Arrays;

/**
 * One writer's counts. Only one thread at a time updates it: the writer's own thread (blocking), or
 * whichever executor thread completes the writer's current future (asynchronous; each update is
 * chained on the previous one's completion, which orders them). The benchmark reads the counts
 * after the writers have stopped, and {@link #inFlightSince} when the window closes.
 */
final class Tally {
  private static final long IDLE = Long.MIN_VALUE;

  /** Updates acknowledged over the whole run (warm-up and drain included): what the table holds. */
  long acknowledged;

  /** Updates that ended with an exception (never expected: the retry policy does not give up). */
  long failed;

  /** The first failure, for the report. */
  Throwable firstFailure;

  /** Updates acknowledged inside the measured window. */
  long windowSuccesses;

  private long[] latencies = new long[1024];
  private int latencyCount;
  private volatile long inFlightSince = IDLE;
  private volatile long inFlightAtClose = IDLE;

  /** An update starts now ({@link System#nanoTime()}). */
  void started(long nanoTime) {
    inFlightSince = nanoTime;
  }

  /** The update started last was acknowledged. */
  void success(long nanoTime, boolean inWindow) {
    acknowledged++;
    if (inWindow) {
      windowSuccesses++;
      record(nanoTime - inFlightSince);
    }
    inFlightSince = IDLE;
  }

  /** The update started last ended with an exception. */
  void failure(Throwable e) {
    failed++;
    if (firstFailure == null) {
      firstFailure = e;
    }
    inFlightSince = IDLE;
  }

  /**
   * Counts the update in flight when the window closes at {@code nanoTime}, if any, with its age
   * then: a lower bound of its latency. Without it a writer starved for the whole window (still
   * retrying a hot key when the window closes) would leave no trace in the latencies.
   */
  void windowClosed(long nanoTime) {
    long since = inFlightSince;
    if (since != IDLE) {
      // Kept apart from the latencies, which the writer may still be appending to.
      inFlightAtClose = nanoTime - since;
    }
  }

  private void record(long nanos) {
    if (latencyCount == latencies.length) {
      latencies = Arrays.copyOf(latencies, latencyCount * 2);
    }
    latencies[latencyCount++] = nanos;
  }

  /**
   * The 99th percentile, in milliseconds, of all tallies' latencies: the updates acknowledged in
   * the window, and the ages of those still in flight when it closed.
   */
  static double p99Millis(Iterable<Tally> tallies) {
    int n = 0;
    for (Tally t : tallies) {
      n += t.latencyCount + (t.inFlightAtClose == IDLE ? 0 : 1);
    }
    if (n == 0) {
      return Double.NaN;
    }
    long[] all = new long[n];
    int at = 0;
    for (Tally t : tallies) {
      System.arraycopy(t.latencies, 0, all, at, t.latencyCount);
      at += t.latencyCount;
      if (t.inFlightAtClose != IDLE) {
        all[at++] = t.inFlightAtClose;
      }
    }
    Arrays.sort(all);
    return all[(int) Math.ceil(n * 0.99) - 1] / 1e6;
  }
}
