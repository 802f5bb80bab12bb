package dev.gtguard.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * One measured window of {@link AsyncBenchmark}, or the median of several: rates over the window,
 * correctness over the whole run (warm-up and drain included).
 *
 * @param workload {@code distinct} or {@code hot}
 * @param mode {@code blocking} or {@code async}
 * @param successesPerSecond updates acknowledged in the window, per second
 * @param attemptsPerSuccess UpdateItem calls sent in the window (every attempt of every writer,
 *     those still retrying at its end included) per update acknowledged in it
 * @param p99Millis 99th percentile of the latencies (call to acknowledgement) of the updates
 *     acknowledged in the window, the updates still in flight at its end counted by their age then
 * @param starved writers with no update acknowledged in the window
 * @param threads the most threads the mode added to the JVM at once ({@link ThreadCensus})
 * @param jvmPeakThreads the JVM's own peak live thread count in the window, every thread included
 * @param cpuMicrosPerSuccess CPU time of the measuring JVM (not the server's) in the window, per
 *     acknowledged update
 * @param acknowledged updates acknowledged over the whole run
 * @param lost acknowledged minus the sum of the stored counters (0: none lost)
 * @param failed updates that ended with an exception
 * @param threadGroups {@code threads} by thread name, numbers stripped
 */
record Measurement(
    String workload,
    String mode,
    double successesPerSecond,
    double attemptsPerSuccess,
    double p99Millis,
    int starved,
    int threads,
    int jvmPeakThreads,
    double cpuMicrosPerSuccess,
    long acknowledged,
    long lost,
    long failed,
    Map<String, Integer> threadGroups) {

  /**
   * The median of each rate and thread count across rounds (the lower middle for an even count);
   * the sums of acknowledged, lost and failed updates; the thread breakdown of the median round.
   */
  static Measurement median(List<Measurement> rounds) {
    Measurement first = rounds.get(0);
    Measurement byThreads =
        rounds.stream()
            .sorted((a, b) -> Integer.compare(a.threads, b.threads))
            .toList()
            .get((rounds.size() - 1) / 2);
    return new Measurement(
        first.workload,
        first.mode,
        median(rounds, Measurement::successesPerSecond),
        median(rounds, Measurement::attemptsPerSuccess),
        median(rounds, Measurement::p99Millis),
        (int) median(rounds, Measurement::starved),
        (int) median(rounds, Measurement::threads),
        (int) median(rounds, Measurement::jvmPeakThreads),
        median(rounds, Measurement::cpuMicrosPerSuccess),
        rounds.stream().mapToLong(Measurement::acknowledged).sum(),
        rounds.stream().mapToLong(Measurement::lost).sum(),
        rounds.stream().mapToLong(Measurement::failed).sum(),
        byThreads.threadGroups);
  }

  private static double median(List<Measurement> rounds, ToDoubleFunction<Measurement> metric) {
    double[] values = rounds.stream().mapToDouble(metric).toArray();
    Arrays.sort(values);
    return values[(values.length - 1) / 2];
  }

  /** The stable, grep-able line: {@code round} is the round's number or {@code median}. */
  String resultLine(String round, int writers) {
    return String.format(
        Locale.ROOT,
        "RESULT benchmark=async workload=%s mode=%s round=%s writers=%d successes_per_s=%.0f"
            + " attempts_per_success=%.2f p99_ms=%.1f starved=%d threads=%d jvm_peak_threads=%d"
            + " cpu_us_per_success=%.0f acknowledged=%d lost=%d failed=%d",
        workload,
        mode,
        round,
        writers,
        successesPerSecond,
        attemptsPerSuccess,
        p99Millis,
        starved,
        threads,
        jvmPeakThreads,
        cpuMicrosPerSuccess,
        acknowledged,
        lost,
        failed);
  }

  /** The thread breakdown, as a comment line. */
  String threadsLine(String round) {
    return String.format(
        Locale.ROOT,
        "# threads workload=%s mode=%s round=%s: %s",
        workload,
        mode,
        round,
        threadGroups.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(" ")));
  }

  static String tableHeader() {
    return String.format(
        Locale.ROOT,
        "%-9s %-9s %12s %17s %8s %8s %8s %9s %15s %5s",
        "workload",
        "mode",
        "successes/s",
        "attempts/success",
        "p99 ms",
        "starved",
        "threads",
        "JVM peak",
        "CPU us/success",
        "lost");
  }

  String tableRow() {
    return String.format(
        Locale.ROOT,
        "%-9s %-9s %12.0f %17.2f %8.1f %8d %8d %9d %15.0f %5d",
        workload,
        mode,
        successesPerSecond,
        attemptsPerSuccess,
        p99Millis,
        starved,
        threads,
        jvmPeakThreads,
        cpuMicrosPerSuccess,
        lost);
  }
}
