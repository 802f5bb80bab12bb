package dev.gtguard.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * One round of one {@link DetectionMode} in {@link DetectionCostBenchmark}, or the median of its
 * rounds.
 *
 * @param mode the mode's label
 * @param round the round's number, or {@code median}
 * @param threads the writers of the throughput phase
 * @param seqP50Micros median latency of one update (read + write), one thread
 * @param seqP99Micros its 99th percentile
 * @param seqPerSecond updates per second of the sequential phase
 * @param threadsPerSecond updates per second of the throughput phase
 * @param requestsPerUpdate API calls per update of the sequential phase, by operation
 * @param wcuPerUpdate write capacity units DynamoDB reported per update, NaN if not reported
 * @param rcuPerUpdate read capacity units DynamoDB reported per update, NaN if not reported
 * @param itemBytes the stored item's size: the UTF-8 bytes of every attribute's name and value
 *     (numbers as their decimal text)
 * @param ledgerEntryBytes the same for one ledger entry, -1 for modes without a ledger
 * @param failed updates that threw, both phases (a median sums the rounds')
 */
record DetectionRun(
    String mode,
    String round,
    int threads,
    double seqP50Micros,
    double seqP99Micros,
    double seqPerSecond,
    double threadsPerSecond,
    Map<String, Double> requestsPerUpdate,
    double wcuPerUpdate,
    double rcuPerUpdate,
    long itemBytes,
    long ledgerEntryBytes,
    long failed) {

  /** The median of each figure across rounds (the lower middle for an even count). */
  static DetectionRun median(List<DetectionRun> rounds) {
    DetectionRun first = rounds.get(0);
    Map<String, Double> requests = new TreeMap<>();
    rounds.forEach(r -> r.requestsPerUpdate.keySet().forEach(op -> requests.put(op, 0.0)));
    requests.replaceAll(
        (op, zero) -> median(rounds, r -> r.requestsPerUpdate.getOrDefault(op, 0.0)));
    return new DetectionRun(
        first.mode,
        "median",
        first.threads,
        median(rounds, DetectionRun::seqP50Micros),
        median(rounds, DetectionRun::seqP99Micros),
        median(rounds, DetectionRun::seqPerSecond),
        median(rounds, DetectionRun::threadsPerSecond),
        requests,
        median(rounds, DetectionRun::wcuPerUpdate),
        median(rounds, DetectionRun::rcuPerUpdate),
        (long) median(rounds, DetectionRun::itemBytes),
        (long) median(rounds, DetectionRun::ledgerEntryBytes),
        rounds.stream().mapToLong(DetectionRun::failed).sum());
  }

  private static double median(List<DetectionRun> rounds, ToDoubleFunction<DetectionRun> field) {
    double[] values = rounds.stream().mapToDouble(field).sorted().toArray();
    return values[(values.length - 1) / 2];
  }

  /** The stable, grep-able line. */
  String line() {
    return String.format(
        Locale.ROOT,
        "DETECTION-COST mode=%s round=%s seq_p50_us=%.0f seq_p99_us=%.0f seq_per_s=%.0f"
            + " threads%d_per_s=%.0f requests_per_update=%s wcu_per_update=%s rcu_per_update=%s"
            + " item_bytes=%d ledger_entry_bytes=%s failed=%d",
        mode,
        round,
        seqP50Micros,
        seqP99Micros,
        seqPerSecond,
        threads,
        threadsPerSecond,
        requests(),
        units(wcuPerUpdate),
        units(rcuPerUpdate),
        itemBytes,
        ledgerEntryBytes < 0 ? "n/a" : Long.toString(ledgerEntryBytes),
        failed);
  }

  /** {@code op:count,...} in operation order. */
  String requests() {
    return requestsPerUpdate.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%s:%.2f", e.getKey(), e.getValue()))
        .collect(Collectors.joining(","));
  }

  private static String units(double perUpdate) {
    return Double.isNaN(perUpdate) ? "n/a" : String.format(Locale.ROOT, "%.2f", perUpdate);
  }

  private static final String TABLE = "%-9s %8s %8s %7s %9s %8s %8s %6s %11s  %s";

  static String tableHeader(int threads) {
    return String.format(
        Locale.ROOT,
        TABLE,
        "mode",
        "p50 us",
        "p99 us",
        "seq/s",
        threads + " thr/s",
        "WCU/upd",
        "RCU/upd",
        "item B",
        "ledger B",
        "requests per update");
  }

  String tableRow() {
    return String.format(
        Locale.ROOT,
        TABLE,
        mode,
        String.format(Locale.ROOT, "%.0f", seqP50Micros),
        String.format(Locale.ROOT, "%.0f", seqP99Micros),
        String.format(Locale.ROOT, "%.0f", seqPerSecond),
        String.format(Locale.ROOT, "%.0f", threadsPerSecond),
        units(wcuPerUpdate),
        units(rcuPerUpdate),
        itemBytes,
        ledgerEntryBytes < 0 ? "-" : Long.toString(ledgerEntryBytes),
        requests());
  }

  /** {@code this / base} for each figure, as one line. */
  String ratioTo(DetectionRun base) {
    return String.format(
        Locale.ROOT,
        "%-15s p50 %.2fx  p99 %.2fx  seq/s %.2fx  %d thr/s %.2fx  WCU %s  item bytes %.2fx"
            + "  requests %.2fx",
        mode + "/" + base.mode,
        seqP50Micros / base.seqP50Micros,
        seqP99Micros / base.seqP99Micros,
        seqPerSecond / base.seqPerSecond,
        threads,
        threadsPerSecond / base.threadsPerSecond,
        Double.isNaN(wcuPerUpdate) || Double.isNaN(base.wcuPerUpdate)
            ? "n/a"
            : String.format(Locale.ROOT, "%.2fx", wcuPerUpdate / base.wcuPerUpdate),
        (double) itemBytes / base.itemBytes,
        total(requestsPerUpdate) / total(base.requestsPerUpdate));
  }

  private static double total(Map<String, Double> requests) {
    return requests.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** {@code values} sorted, at quantile {@code q} (nearest rank). */
  static long quantile(long[] sorted, double q) {
    return sorted[Math.max(0, (int) Math.ceil(sorted.length * q) - 1)];
  }

  /** Sorts in place and returns the array. */
  static long[] sorted(long[] values) {
    Arrays.sort(values);
    return values;
  }
}
