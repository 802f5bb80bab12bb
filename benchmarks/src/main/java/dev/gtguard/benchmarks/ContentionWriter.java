package dev.gtguard.benchmarks;

/**
 * How one mode of {@link ContentionBenchmark} adds one to the hot item's {@code count}: one
 * instance per measurement, shared by all its threads.
 */
interface ContentionWriter {
  /** The most writes any looping mode sends for one increment: in effect, never gives up. */
  int UNLIMITED = 10_000;

  /**
   * What one increment took.
   *
   * @param attempts writes sent (conditional, or the blind put)
   * @param acknowledged whether one was accepted; {@code false}: the writer gave up
   */
  record Outcome(int attempts, boolean acknowledged) {}

  /** Reads the hot item, adds one to its {@code count} and writes it, retrying as the mode does. */
  Outcome increment() throws InterruptedException;
}
