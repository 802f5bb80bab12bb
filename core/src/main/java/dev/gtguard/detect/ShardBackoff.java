package dev.gtguard.detect;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One shard's pause after failures: exponential, capped, and reset by a success. A shard in its
 * pause is skipped while the other shards are read, so one failing shard (throttled, a sink that
 * keeps failing on its loss) does not hold up the rest. Not thread-safe: the poller's pass owns it.
 */
final class ShardBackoff {
  /** Beyond this many failures in a row the pause is long since at its cap. */
  private static final int MAX_COUNTED_FAILURES = 64;

  private final IntervalFunction pauses;
  private final Clock clock;
  private int failures;
  private Instant readyAt = Instant.MIN;

  ShardBackoff(IntervalFunction pauses, Clock clock) {
    this.pauses = pauses;
    this.clock = clock;
  }

  /** Whether the shard may be read now. */
  boolean ready() {
    return !clock.instant().isBefore(readyAt);
  }

  /** Counts a failure; returns the pause until the shard is read again. */
  Duration failed() {
    failures = Math.min(failures + 1, MAX_COUNTED_FAILURES);
    Duration pause = Duration.ofMillis(pauses.apply(failures));
    readyAt = clock.instant().plus(pause);
    return pause;
  }

  /** The shard read well: the next failure starts over at the first pause. */
  void succeeded() {
    failures = 0;
    readyAt = Instant.MIN;
  }

  /** Failures in a row so far. */
  int failures() {
    return failures;
  }
}
