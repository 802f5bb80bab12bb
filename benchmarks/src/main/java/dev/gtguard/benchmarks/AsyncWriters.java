package dev.gtguard.benchmarks;

import dev.gtguard.AsyncVersionedTable;
import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.ItemKey;
import dev.gtguard.UpdateResult;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * {@link AsyncVersionedTable} on a {@link DynamoDbAsyncClient} over the Netty HTTP client (SDK
 * defaults but {@code maxConcurrency} {@value #CONNECTIONS}, the SDK's default being 50; the SDK's
 * default future-completion executor), on an executor of {@value #EXECUTOR_THREADS} threads and a
 * one-thread scheduler. Each writer is a chain of futures: it starts its next update when the
 * previous one completes, so each writer has exactly one update in flight. No thread is held per
 * writer.
 */
final class AsyncWriters extends Writers {
  static final int EXECUTOR_THREADS = 2;

  private final DynamoDbAsyncClient client;
  private final ExecutorService executor =
      Executors.newFixedThreadPool(EXECUTOR_THREADS, named("bench-async-executor"));
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(named("bench-async-scheduler"));
  private final AsyncVersionedTable table;
  private final CountDownLatch stopped;

  AsyncWriters(URI endpoint, String tableName, ConflictRetryPolicy policy, List<ItemKey> keys) {
    super(keys);
    client =
        DynamoDbAsyncClient.builder()
            .endpointOverride(endpoint)
            .region(Region.EU_WEST_1)
            .credentialsProvider(CREDENTIALS)
            .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(CONNECTIONS))
            .overrideConfiguration(o -> o.addExecutionInterceptor(requests))
            .build();
    table =
        AsyncVersionedTable.builder()
            .client(client)
            .tableName(tableName)
            .partitionKey("pk")
            .retryPolicy(policy)
            .executor(executor)
            .scheduler(scheduler)
            .build();
    stopped = new CountDownLatch(keys.size());
  }

  @Override
  void start() {
    for (int i = 0; i < keys.size(); i++) {
      new Chain(keys.get(i), tallies.get(i)).next();
    }
  }

  /** One writer: one update in flight, the next sent from the previous one's completion. */
  private final class Chain {
    private final ItemKey key;
    private final Tally tally;

    Chain(ItemKey key, Tally tally) {
      this.key = key;
      this.tally = tally;
    }

    void next() {
      if (!running) {
        stopped.countDown();
        return;
      }
      tally.started(System.nanoTime());
      Thread caller = Thread.currentThread();
      AtomicBoolean returned = new AtomicBoolean();
      CompletableFuture<UpdateResult> update = table.update(key, INCREMENT);
      update.whenComplete(
          (result, failure) -> {
            if (failure == null) {
              tally.success(System.nanoTime(), measuring());
            } else {
              tally.failure(failure);
            }
            if (Thread.currentThread() == caller && !returned.get()) {
              // Completed before whenComplete was attached, so running inside this next(): hand
              // the next update to the executor instead of recursing.
              executor.execute(this::next);
            } else {
              next();
            }
          });
      returned.set(true);
    }
  }

  @Override
  void stop() throws InterruptedException {
    running = false;
    if (!stopped.await(2, TimeUnit.MINUTES)) {
      throw new IllegalStateException("asynchronous writers did not stop within 2 minutes");
    }
  }

  @Override
  public void close() {
    client.close();
    scheduler.shutdownNow();
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
