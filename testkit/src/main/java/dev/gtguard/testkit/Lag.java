package dev.gtguard.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a replicated write takes from one region to another: a fixed part plus a uniformly
 * random jitter in {@code [0, jitter]}. Immutable.
 *
 * <pre>{@code
 * Lag.of(Duration.ofMillis(800), Duration.ofMillis(400)); // 800..1200 ms
 * }</pre>
 */
public record Lag(Duration fixed, Duration jitter) {

  /** No lag: a write is replicated as soon as its stream record is read. */
  public static final Lag NONE = new Lag(Duration.ZERO, Duration.ZERO);

  /**
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if an argument is negative
   */
  public Lag {
    Objects.requireNonNull(fixed, "fixed");
    Objects.requireNonNull(jitter, "jitter");
    if (fixed.isNegative() || jitter.isNegative()) {
      throw new IllegalArgumentException("lag must not be negative: " + fixed + " + " + jitter);
    }
  }

  public static Lag of(Duration fixed, Duration jitter) {
    return new Lag(fixed, jitter);
  }

  /** A fixed lag without jitter. */
  public static Lag of(Duration fixed) {
    return new Lag(fixed, Duration.ZERO);
  }

  /** One draw, in milliseconds. */
  public long sampleMillis() {
    long j = jitter.toMillis();
    return fixed.toMillis() + (j == 0 ? 0 : ThreadLocalRandom.current().nextLong(j + 1));
  }
}
