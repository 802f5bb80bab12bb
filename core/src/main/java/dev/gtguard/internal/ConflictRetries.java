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
        (retry, either) -> retry <= immediate ? 0 : fullJitter(retry - immediate, base, cap);
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
