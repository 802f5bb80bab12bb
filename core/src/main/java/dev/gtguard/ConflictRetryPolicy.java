package dev.gtguard;

import java.time.Duration;
import java.util.Objects;

/**
 * How a read-modify-retry update retries after losing a conditional write: at most {@code
 * maxAttempts} writes. The first {@code immediateRetries} retries are sent at once, on the item
 * DynamoDB returned with the refusal, which is as fresh as a read. Each later retry first pauses
 * for a time drawn uniformly from {@code [0, min(maxDelay, baseDelay * 2^(n - 1))]} ("full jitter",
 * {@code n} counting the pausing retries from 1), which spreads competing writers out best, and
 * then reads the item again (strongly consistent), because after a pause the refused item is as old
 * as the pause. The retries run through a Resilience4j {@code Retry}. Immutable.
 *
 * <pre>{@code
 * ConflictRetryPolicy policy = ConflictRetryPolicy.builder()
 *     .maxAttempts(64)
 *     .immediateRetries(1)
 *     .baseDelay(Duration.ofMillis(10))
 *     .maxDelay(Duration.ofSeconds(1))
 *     .build();
 * }</pre>
 */
public final class ConflictRetryPolicy {
  private static final int DEFAULT_MAX_ATTEMPTS = 64;
  private static final int DEFAULT_IMMEDIATE_RETRIES = 0;
  private static final ConflictRetryPolicy DEFAULTS = builder().build();

  private final int maxAttempts;
  private final int immediateRetries;
  private final Duration baseDelay;
  private final Duration maxDelay;

  private ConflictRetryPolicy(Builder builder) {
    this.maxAttempts = builder.maxAttempts;
    this.immediateRetries = builder.immediateRetries;
    this.baseDelay = builder.baseDelay;
    this.maxDelay = builder.maxDelay;
    if (baseDelay.compareTo(maxDelay) > 0) {
      throw new IllegalStateException(
          "baseDelay " + baseDelay + " must not exceed maxDelay " + maxDelay);
    }
  }

  /** 64 attempts, each retry after a pause (10 ms base delay, 1 s cap) and a fresh read. */
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
        .immediateRetries(base.immediateRetries)
        .baseDelay(base.baseDelay)
        .maxDelay(base.maxDelay);
  }

  /** Most conditional writes one update sends, the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Retries sent at once on the item returned with the refusal, before the first pause; {@code 0}:
   * pause (and read again) before every retry. With a zero {@link #maxDelay()} no retry pauses, and
   * every retry is sent at once on the refused item.
   */
  public int immediateRetries() {
    return immediateRetries;
  }

  /** Upper bound of the first pause; doubles with each pausing retry. */
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
        + ", immediateRetries="
        + immediateRetries
        + ", baseDelay="
        + baseDelay
        + ", maxDelay="
        + maxDelay
        + "}";
  }

  /** Builds a {@link ConflictRetryPolicy}; each setter validates its argument at once. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private int immediateRetries = DEFAULT_IMMEDIATE_RETRIES;
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
     * @throws IllegalArgumentException if negative
     */
    public Builder immediateRetries(int immediateRetries) {
      if (immediateRetries < 0) {
        throw new IllegalArgumentException(
            "immediateRetries must not be negative, was " + immediateRetries);
      }
      this.immediateRetries = immediateRetries;
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
