package dev.gtguard.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Counts the threads a mode adds to the JVM. The baseline is the set of live thread ids before a
 * mode builds its clients (the JVM's own threads, {@code main}, the child process's output reader
 * and the setup client's); {@link #sample()} lists the live threads not in it, through {@link
 * ThreadMXBean} (names only, no stacks, so sampling costs little), and keeps the largest count and
 * its breakdown by name with the numbers stripped ({@code aws-java-sdk-NettyEventLoop-0-3} counts
 * under {@code aws-java-sdk-NettyEventLoop}). The JVM's own peak ({@link
 * ThreadMXBean#getPeakThreadCount()}, reset at {@link #start()}) is kept beside it as a check.
 */
final class ThreadCensus {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final Pattern NUMBERING = Pattern.compile("[-_# ]*\\d+([-_]\\d+)*$");

  private final Set<Long> baseline;
  private int peak;
  private Map<String, Integer> peakGroups = Map.of();

  private ThreadCensus(Set<Long> baseline) {
    this.baseline = baseline;
  }

  /**
   * The threads alive now as the baseline, after waiting up to {@code settleMillis} for threads
   * outside {@code lasting} (the ids alive when the benchmark started) to end: a closed client's
   * event loops take a moment to stop. Threads that do not end are named on standard output and
   * belong to the baseline.
   */
  static ThreadCensus settle(Set<Long> lasting, long settleMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + settleMillis;
    Map<Long, String> extra = liveExcept(lasting);
    while (!extra.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      extra = liveExcept(lasting);
    }
    if (!extra.isEmpty()) {
      System.out.println("# threads still alive from before, not counted: " + extra.values());
    }
    Set<Long> baseline = new HashSet<>(lasting);
    baseline.addAll(extra.keySet());
    return new ThreadCensus(baseline);
  }

  /** The ids of the threads alive now. */
  static Set<Long> liveIds() {
    return Arrays.stream(THREADS.getAllThreadIds()).boxed().collect(Collectors.toSet());
  }

  /** The names of the live threads among {@code ids}. */
  static List<String> names(Set<Long> ids) {
    return liveExcept(Set.of()).entrySet().stream()
        .filter(e -> ids.contains(e.getKey()))
        .map(Map.Entry::getValue)
        .toList();
  }

  /** Resets the JVM's peak thread count: the measured window starts. */
  void start() {
    THREADS.resetPeakThreadCount();
    peak = 0;
    peakGroups = Map.of();
  }

  /** Counts the live threads outside the baseline; keeps the largest count. */
  void sample() {
    Map<Long, String> extra = liveExcept(baseline);
    if (extra.size() > peak) {
      peak = extra.size();
      Map<String, Integer> groups = new TreeMap<>();
      for (String name : extra.values()) {
        groups.merge(NUMBERING.matcher(name).replaceFirst(""), 1, Integer::sum);
      }
      peakGroups = groups;
    }
  }

  /** The most threads outside the baseline seen alive at once since {@link #start()}. */
  int peak() {
    return peak;
  }

  /** {@link #peak()} by thread name, numbers stripped. */
  Map<String, Integer> peakGroups() {
    return peakGroups;
  }

  /** The JVM's peak live thread count since {@link #start()}, every thread included. */
  int jvmPeak() {
    return THREADS.getPeakThreadCount();
  }

  /** How many threads the baseline holds. */
  int baselineSize() {
    return baseline.size();
  }

  private static Map<Long, String> liveExcept(Set<Long> known) {
    Map<Long, String> extra = new TreeMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds(), 0)) {
      // null: the thread ended between the two calls.
      if (info != null && !known.contains(info.getThreadId())) {
        extra.put(info.getThreadId(), info.getThreadName());
      }
    }
    return extra;
  }
}
