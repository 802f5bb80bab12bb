package dev.gtguard.internal.write;

import dev.gtguard.RegionClients;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * {@link Transport} over {@code DynamoDbAsyncClient}. The SDK completes its futures on its own
 * threads (a Netty event loop, or its completion executor); every future returned here is completed
 * on {@code executor} instead, so the write path's decisions, the update function and listeners
 * never run on an SDK thread. Pauses are scheduled on {@code scheduler}, which only hands the next
 * step to {@code executor}: no thread sleeps.
 */
public final class AsyncTransport implements Transport {
  private final RegionClients regions;
  private final Executor executor;
  private final ScheduledExecutorService scheduler;

  /**
   * @param scheduler spaces pauses; {@code null}: one daemon thread shared by the JVM
   */
  public AsyncTransport(
      RegionClients regions, Executor executor, ScheduledExecutorService scheduler) {
    this.regions = regions;
    this.executor = executor;
    this.scheduler = scheduler != null ? scheduler : SharedScheduler.INSTANCE;
  }

  /** Created on first use; its one thread only hands work to executors. */
  private static final class SharedScheduler {
    static final ScheduledExecutorService INSTANCE =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "gtguard-retry-scheduler");
              thread.setDaemon(true);
              return thread;
            });
  }

  private DynamoDbAsyncClient client(String region) {
    return regions.asyncClient(region);
  }

  @Override
  public CompletableFuture<PutItemResponse> putItem(String region, PutItemRequest request) {
    return handedOff(() -> client(region).putItem(request));
  }

  @Override
  public CompletableFuture<UpdateItemResponse> updateItem(
      String region, UpdateItemRequest request) {
    return handedOff(() -> client(region).updateItem(request));
  }

  @Override
  public CompletableFuture<DeleteItemResponse> deleteItem(
      String region, DeleteItemRequest request) {
    return handedOff(() -> client(region).deleteItem(request));
  }

  @Override
  public CompletableFuture<GetItemResponse> getItem(String region, GetItemRequest request) {
    return handedOff(() -> client(region).getItem(request));
  }

  @Override
  public CompletableFuture<TransactWriteItemsResponse> transactWriteItems(
      String region, TransactWriteItemsRequest request) {
    return handedOff(() -> client(region).transactWriteItems(request));
  }

  @Override
  public CompletableFuture<Void> pause(long millis) {
    if (millis <= 0) {
      return Futures.DONE; // called from a step on the executor: go on there, no hand-off
    }
    CompletableFuture<Void> paused = new CompletableFuture<>();
    try {
      scheduler.schedule(() -> handOff(paused, null, null), millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      paused.completeExceptionally(e);
    }
    return paused;
  }

  @Override
  public void start(Runnable firstStep) {
    executor.execute(firstStep);
  }

  @Override
  public boolean blocking() {
    return false;
  }

  /** The SDK's future, completed again on {@code executor} with its failure unwrapped. */
  private <T> CompletableFuture<T> handedOff(Supplier<CompletableFuture<T>> call) {
    CompletableFuture<T> sdk;
    try {
      sdk = call.get();
    } catch (RuntimeException e) {
      sdk = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<T> ours = new CompletableFuture<>();
    sdk.whenComplete((value, error) -> handOff(ours, value, error));
    return ours;
  }

  private <T> void handOff(CompletableFuture<T> ours, T value, Throwable error) {
    Runnable completion =
        () -> {
          if (error == null) {
            ours.complete(value);
          } else {
            ours.completeExceptionally(Futures.unwrap(error));
          }
        };
    try {
      executor.execute(completion);
    } catch (RejectedExecutionException e) {
      // The executor was shut down: fail here rather than never. Whatever the SDK answered is then
      // unknown to the write path, which reports the write's outcome as open if it was sent.
      ours.completeExceptionally(
          SdkClientException.create("the executor refused to run the write's next step", e));
    }
  }
}
