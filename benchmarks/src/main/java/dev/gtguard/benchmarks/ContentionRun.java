package dev.gtguard.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One (mode, threads) measurement of {@link ContentionBenchmark}, or the median of its rounds.
 *
 * @param mode the {@link ContentionMode}'s label
 * @param threads writers on the hot item
 * @param round the round's number, or {@code median}
 * @param updates increments started (threads times updates per thread)
 * @param acknowledged increments the mode reported written
 * @param gaveUp increments that ran out of attempts (only {@code library-default} has a limit low
 *     enough to reach)
 * @param failed increments that ended with any other exception (never expected)
 * @param lost acknowledged minus the stored counter: increments acknowledged but not in the item
 * @param attemptsPerSuccess writes sent (those of increments given up included) per acknowledged
 *     increment, counted as requests: below 1 when writes are combined
 * @param p99Attempts 99th percentile of the writes one increment sent, over all increments (with
 *     combining: of the write that carried it)
 * @param maxAttempts the most writes one increment sent
 * @param firstAccepted the share of increments whose first write was accepted
 * @param retryAccepted the share of retries (writes after an increment's first) that were accepted:
 *     how often the state a retry applied the function to was still current (NaN without retries)
 * @param readsPerUpdate GetItem calls per increment started (the first read and any re-reads)
 * @param successesPerSecond acknowledged increments per second of the measurement, from the release
 *     of all threads to the last one's end
 * @param p99Millis 99th percentile of one increment's latency (call to return, acknowledged or not)
 * @param maxMillis the longest increment
 * @param longestWaitMillis the longest any writer went without an acknowledged increment (from the
 *     release, between two, or from its last to its end): a writer that starves shows here
 * @param firstDoneSeconds when the first writer had finished all its increments
 * @param medianDoneSeconds when half the writers had (the lower middle for an even count): a long
 *     run with an early median is a tail of a few starved writers
 * @param seconds when the last one had: the measurement's length
 * @param lostAllRounds in a median, the sum of {@code lost} over all rounds; else {@code lost}
 */
record ContentionRun(
    String mode,
    int threads,
    String round,
    long updates,
    long acknowledged,
    long gaveUp,
    long failed,
    long lost,
    double attemptsPerSuccess,
    int p99Attempts,
    int maxAttempts,
    double firstAccepted,
    double retryAccepted,
    double readsPerUpdate,
    double successesPerSecond,
    double p99Millis,
    double maxMillis,
    double longestWaitMillis,
    double firstDoneSeconds,
    double medianDoneSeconds,
    double seconds,
    long lostAllRounds) {

  /**
   * The median of each figure across rounds (the lower middle for an even count), except the
   * worst-case figures ({@code max_attempts}, {@code max_ms}, {@code longest_wait_ms}), which are
   * the worst of all rounds, and {@code failed} and {@code lost_all_rounds}, which are sums.
   */
  static ContentionRun median(List<ContentionRun> rounds) {
    ContentionRun first = rounds.get(0);
    return new ContentionRun(
        first.mode,
        first.threads,
        "median",
        (long) median(rounds, ContentionRun::updates),
        (long) median(rounds, ContentionRun::acknowledged),
        (long) median(rounds, ContentionRun::gaveUp),
        rounds.stream().mapToLong(ContentionRun::failed).sum(),
        (long) median(rounds, ContentionRun::lost),
        median(rounds, ContentionRun::attemptsPerSuccess),
        (int) median(rounds, ContentionRun::p99Attempts),
        rounds.stream().mapToInt(ContentionRun::maxAttempts).max().orElseThrow(),
        median(rounds, ContentionRun::firstAccepted),
        median(rounds, ContentionRun::retryAccepted),
        median(rounds, ContentionRun::readsPerUpdate),
        median(rounds, ContentionRun::successesPerSecond),
        median(rounds, ContentionRun::p99Millis),
        rounds.stream().mapToDouble(ContentionRun::maxMillis).max().orElseThrow(),
        rounds.stream().mapToDouble(ContentionRun::longestWaitMillis).max().orElseThrow(),
        median(rounds, ContentionRun::firstDoneSeconds),
        median(rounds, ContentionRun::medianDoneSeconds),
        median(rounds, ContentionRun::seconds),
        rounds.stream().mapToLong(ContentionRun::lost).sum());
  }

  private static double median(List<ContentionRun> rounds, ToDoubleFunction<ContentionRun> metric) {
    double[] values = rounds.stream().mapToDouble(metric).toArray();
    Arrays.sort(values);
    return values[(values.length - 1) / 2];
  }

  /**
   * The stable, grep-able line. The first five fields are those of the benchmark's first version
   * (same names, same order), the others were added after them.
   */
  String line() {
    return String.format(
        Locale.ROOT,
        "CONTENTION threads=%d updates=%d lost=%d attempts_per_success=%.2f p99_attempts=%d"
            + " mode=%s round=%s acknowledged=%d gave_up=%d failed=%d max_attempts=%d"
            + " first_accepted=%.2f retry_accepted=%.2f reads_per_update=%.2f successes_per_s=%.1f p99_ms=%.0f max_ms=%.0f"
            + " longest_wait_ms=%.0f first_done_s=%.1f median_done_s=%.1f seconds=%.1f lost_all_rounds=%d",
        threads,
        updates,
        lost,
        attemptsPerSuccess,
        p99Attempts,
        mode,
        round,
        acknowledged,
        gaveUp,
        failed,
        maxAttempts,
        firstAccepted,
        retryAccepted,
        readsPerUpdate,
        successesPerSecond,
        p99Millis,
        maxMillis,
        longestWaitMillis,
        firstDoneSeconds,
        medianDoneSeconds,
        seconds,
        lostAllRounds);
  }

  private static final String TABLE =
      "%7s  %-17s %7s %7s %5s %8s %7s %7s %8s %9s %6s %6s %6s %11s %17s";

  static String tableHeader() {
    return String.format(
        Locale.ROOT,
        TABLE,
        "threads",
        "mode",
        "updates",
        "gave up",
        "lost",
        "att/succ",
        "p99 att",
        "max att",
        "retry ok",
        "reads/upd",
        "succ/s",
        "p99 ms",
        "max ms",
        "max wait ms",
        "done 1st/med/last");
  }

  String tableRow() {
    return String.format(
        Locale.ROOT,
        TABLE,
        threads,
        mode,
        updates,
        gaveUp,
        lost,
        String.format(Locale.ROOT, "%.2f", attemptsPerSuccess),
        p99Attempts,
        maxAttempts,
        Double.isNaN(retryAccepted) ? "-" : String.format(Locale.ROOT, "%.2f", retryAccepted),
        String.format(Locale.ROOT, "%.2f", readsPerUpdate),
        String.format(Locale.ROOT, "%.0f", successesPerSecond),
        String.format(Locale.ROOT, "%.0f", p99Millis),
        String.format(Locale.ROOT, "%.0f", maxMillis),
        String.format(Locale.ROOT, "%.0f", longestWaitMillis),
        String.format(Locale.ROOT, "%.1f/%.1f/%.1f", firstDoneSeconds, medianDoneSeconds, seconds));
  }
}
