package dev.gtguard;

import java.time.Duration;
import java.util.Objects;

/**
 * How a read-modify-retry update backs off after losing a conditional write: at most {@code
 * maxAttempts} writes, and before each retry a pause drawn uniformly from {@code [0, min(maxDelay,
 * baseDelay * 2^(retry - 1))]} ("full jitter"), which spreads competing writers out best. The
 * retries run through a Resilience4j {@code Retry}. Immutable.
 *
 * <pre>{@code
 * ConflictRetryPolicy policy = ConflictRetryPolicy.builder()
 *     .maxAttempts(10)
 *     .baseDelay(Duration.ofMillis(10))
 *     .maxDelay(Duration.ofSeconds(1))
 *     .build();
 * }</pre>
 */
public final class ConflictRetryPolicy {
  private static final ConflictRetryPolicy DEFAULTS = builder().build();

  private final int maxAttempts;
  private final Duration baseDelay;
  private final Duration maxDelay;

  private ConflictRetryPolicy(Builder builder) {
    this.maxAttempts = builder.maxAttempts;
    this.baseDelay = builder.baseDelay;
    this.maxDelay = builder.maxDelay;
    if (baseDelay.compareTo(maxDelay) > 0) {
      throw new IllegalStateException(
          "baseDelay " + baseDelay + " must not exceed maxDelay " + maxDelay);
    }
  }

  /** 8 attempts, 10 ms base delay, 1 s cap. */
  public static ConflictRetryPolicy ofDefaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from {@code base}'s settings. */
  public static Builder from(ConflictRetryPolicy base) {
    return new Builder()
        .maxAttempts(base.maxAttempts)
        .baseDelay(base.baseDelay)
        .maxDelay(base.maxDelay);
  }

  /** Most conditional writes one update sends, the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Upper bound of the first retry's pause; doubles with each retry. */
  public Duration baseDelay() {
    return baseDelay;
  }

  /** Cap on the upper bound of any pause. */
  public Duration maxDelay() {
    return maxDelay;
  }

  @Override
  public String toString() {
    return "ConflictRetryPolicy{maxAttempts="
        + maxAttempts
        + ", baseDelay="
        + baseDelay
        + ", maxDelay="
        + maxDelay
        + "}";
  }

  /** Builds a {@link ConflictRetryPolicy}; each setter validates its argument at once. */
  public static final class Builder {
    private int maxAttempts = 8;
    private Duration baseDelay = Duration.ofMillis(10);
    private Duration maxDelay = Duration.ofSeconds(1);

    private Builder() {}

    /**
     * @throws IllegalArgumentException if {@code maxAttempts < 1}
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if negative
     */
    public Builder baseDelay(Duration baseDelay) {
      this.baseDelay = nonNegative(baseDelay, "baseDelay");
      return this;
    }

    /**
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if negative
     */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = nonNegative(maxDelay, "maxDelay");
      return this;
    }

    /**
     * @throws IllegalStateException if {@code baseDelay} exceeds {@code maxDelay}
     */
    public ConflictRetryPolicy build() {
      return new ConflictRetryPolicy(this);
    }

    private static Duration nonNegative(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, was " + d);
      }
      return d;
    }
  }
}
