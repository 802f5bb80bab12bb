package dev.gtguard.benchmarks;

import dev.gtguard.testkit.RequestCounter;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One (mode, threads) measurement of {@link ContentionBenchmark}: a fresh table, the hot item at
 * {@code count} 0, then {@code threads} platform threads released at once, each running its
 * increments one after the other; the stored counter is read (consistent) once all have ended.
 */
final class ContentionMeasurement {
  private ContentionMeasurement() {}

  /** Measures {@code mode} with {@code threads} writers of {@code perThread} increments each. */
  static ContentionRun run(
      DynamoDbClient client,
      RequestCounter requests,
      ContentionMode mode,
      int threads,
      int perThread,
      String round)
      throws InterruptedException {
    String tableName = ContentionBenchmark.createTable(client);
    try {
      ContentionWriter writer = mode.prepare(client, tableName);
      Log[] logs = new Log[threads];
      Thread[] workers = new Thread[threads];
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      long[] released = new long[1];
      for (int i = 0; i < threads; i++) {
        Log log = new Log(perThread);
        logs[i] = log;
        workers[i] =
            new Thread(
                () -> {
                  ready.countDown();
                  try {
                    go.await();
                    // The latch orders the write of released[0] before this read.
                    log.run(writer, released[0]);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "contention-writer-" + (i + 1));
        workers[i].setDaemon(true);
        workers[i].start();
      }
      ready.await();
      requests.reset();
      released[0] = System.nanoTime();
      go.countDown();
      for (Thread worker : workers) {
        worker.join();
      }
      long reads = requests.count("GetItem");
      // Counted where they are sent: a combined write's attempts carry several increments.
      long writes = requests.count("UpdateItem") + requests.count("PutItem");
      long stored =
          Long.parseLong(
              client
                  .getItem(
                      r ->
                          r.tableName(tableName)
                              .key(ContentionMode.KEY.asMap())
                              .consistentRead(true))
                  .item()
                  .get("count")
                  .n());
      return summarize(mode, threads, round, logs, released[0], reads, writes, stored);
    } finally {
      client.deleteTable(r -> r.tableName(tableName));
    }
  }

  private static ContentionRun summarize(
      ContentionMode mode,
      int threads,
      String round,
      Log[] logs,
      long released,
      long reads,
      long writes,
      long stored) {
    int updates = 0;
    long acknowledged = 0;
    long gaveUp = 0;
    long failed = 0;
    long attempts = 0;
    long firstAccepted = 0;
    long retriesAccepted = 0;
    long longestWait = 0;
    long[] done = new long[logs.length];
    Throwable firstFailure = null;
    for (int w = 0; w < logs.length; w++) {
      Log log = logs[w];
      done[w] = log.doneAt;
      updates += log.latencies.length;
      acknowledged += log.acknowledged;
      firstAccepted += log.firstAccepted;
      retriesAccepted += log.retriesAccepted;
      gaveUp += log.gaveUp;
      failed += log.failed;
      attempts += Arrays.stream(log.attempts).asLongStream().sum();
      longestWait = Math.max(longestWait, log.longestWait);
      firstFailure = firstFailure == null ? log.firstFailure : firstFailure;
    }
    if (firstFailure != null) {
      System.out.println(
          "# "
              + mode.label()
              + " threads="
              + threads
              + ": "
              + failed
              + " failed, the first with "
              + firstFailure);
    }
    long[] allLatencies = new long[updates];
    int[] allAttempts = new int[updates];
    int at = 0;
    for (Log log : logs) {
      System.arraycopy(log.latencies, 0, allLatencies, at, log.latencies.length);
      System.arraycopy(log.attempts, 0, allAttempts, at, log.attempts.length);
      at += log.latencies.length;
    }
    Arrays.sort(allLatencies);
    Arrays.sort(allAttempts);
    Arrays.sort(done);
    int p99 = (int) Math.ceil(updates * 0.99) - 1;
    double seconds = (done[done.length - 1] - released) / 1e9;
    return new ContentionRun(
        mode.label(),
        threads,
        round,
        updates,
        acknowledged,
        gaveUp,
        failed,
        acknowledged - stored,
        (double) writes / acknowledged,
        allAttempts[p99],
        allAttempts[updates - 1],
        (double) firstAccepted / updates,
        (double) retriesAccepted / (attempts - updates),
        (double) reads / updates,
        acknowledged / seconds,
        allLatencies[p99] / 1e6,
        allLatencies[updates - 1] / 1e6,
        longestWait / 1e6,
        (done[0] - released) / 1e9,
        (done[(done.length - 1) / 2] - released) / 1e9,
        seconds,
        acknowledged - stored);
  }

  /** One writer's record, written by its thread only and read after it has ended. */
  private static final class Log {
    final long[] latencies;
    final int[] attempts;
    long acknowledged;
    long firstAccepted;
    long retriesAccepted;
    long gaveUp;
    long failed;
    Throwable firstFailure;
    long longestWait;
    long doneAt;

    Log(int updates) {
      latencies = new long[updates];
      attempts = new int[updates];
    }

    void run(ContentionWriter writer, long released) throws InterruptedException {
      long lastAcknowledged = released;
      for (int i = 0; i < latencies.length; i++) {
        long start = System.nanoTime();
        try {
          ContentionWriter.Outcome outcome = writer.increment();
          attempts[i] = outcome.attempts();
          if (outcome.acknowledged()) {
            acknowledged++;
            if (outcome.attempts() == 1) {
              firstAccepted++;
            } else {
              retriesAccepted++;
            }
            long now = System.nanoTime();
            longestWait = Math.max(longestWait, now - lastAcknowledged);
            lastAcknowledged = now;
          } else {
            gaveUp++;
          }
        } catch (RuntimeException e) {
          failed++;
          firstFailure = firstFailure == null ? e : firstFailure;
        }
        latencies[i] = System.nanoTime() - start;
      }
      doneAt = System.nanoTime();
      longestWait = Math.max(longestWait, doneAt - lastAcknowledged);
    }
  }
}
