package dev.gtguard.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a task on several threads at once, all released by one latch so they really overlap: the
 * shape of every contention test and benchmark.
 *
 * <pre>{@code
 * AtomicLong attempts = new AtomicLong();
 * Concurrently.repeat(16, 100, () -> attempts.addAndGet(table.update(key, increment).attempts()));
 * }</pre>
 */
public final class Concurrently {
  private Concurrently() {}

  /** A task that may throw; the first failure fails {@link #repeat}. */
  @FunctionalInterface
  public interface Task {
    void run() throws Exception;
  }

  /**
   * Runs {@code task} {@code timesPerThread} times on each of {@code threads} threads and waits for
   * all of them.
   *
   * @throws ExecutionException wrapping the first exception a task threw
   */
  public static void repeat(int threads, int timesPerThread, Task task)
      throws InterruptedException, ExecutionException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < timesPerThread; i++) {
                    task.run();
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
