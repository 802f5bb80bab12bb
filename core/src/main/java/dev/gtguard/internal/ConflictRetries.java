package dev.gtguard.internal;

import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.spi.RetryScheduled;
import dev.gtguard.spi.WriteListener;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.util.concurrent.ThreadLocalRandom;

/** Builds the Resilience4j {@link Retry} behind a {@link ConflictRetryPolicy}. */
public final class ConflictRetries {
  private ConflictRetries() {}

  public static Retry create(
      String name, ConflictRetryPolicy policy, String tableName, WriteListener listener) {
    long base = policy.baseDelay().toMillis();
    long cap = policy.maxDelay().toMillis();
    int immediate = policy.immediateRetries();
    IntervalBiFunction<Object> fullJitter =
        (retry, either) ->
            pausesBefore(policy, retry) ? fullJitter(retry - immediate, base, cap) : 0;
    RetryConfig config =
        RetryConfig.custom()
            .maxAttempts(policy.maxAttempts())
            .intervalBiFunction(fullJitter)
            .retryOnException(e -> e instanceof ConflictSignal)
            .build();
    Retry retry = Retry.of(name, config);
    retry
        .getEventPublisher()
        .onRetry(
            e -> {
              if (e.getLastThrowable() instanceof ConflictSignal signal) {
                listener.onRetry(
                    new RetryScheduled(
                        tableName,
                        signal.key(),
                        signal.region(),
                        e.getNumberOfRetryAttempts() + 1,
                        e.getWaitInterval()));
              }
            });
    return retry;
  }

  /**
   * Whether retry number {@code retry} (from 1) pauses first, and so must read the item again: the
   * refused item is as old as the pause. The policy's immediate retries do not, nor does any retry
   * of a policy without pauses (its refused item is as fresh as a read).
   */
  public static boolean pausesBefore(ConflictRetryPolicy policy, int retry) {
    return retry > policy.immediateRetries() && !policy.maxDelay().isZero();
  }

  /** Uniform in {@code [0, min(cap, base * 2^(retry-1))]}; {@code retry} counts from 1. */
  static long fullJitter(int retry, long baseMillis, long capMillis) {
    int shift = Math.min(Math.max(retry - 1, 0), 30);
    long ceiling = Math.min(capMillis, baseMillis << shift);
    if (ceiling < 0 || ceiling > capMillis) {
      ceiling = capMillis;
    }
    return ThreadLocalRandom.current().nextLong(ceiling + 1);
  }
}
