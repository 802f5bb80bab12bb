package dev.gtguard.internal.write;

import java.util.concurrent.CompletableFuture;
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
 * The only difference between the blocking and the asynchronous tables: how a request is sent to a
 * region, how the write path pauses, and which thread runs its steps. Everything else (plans,
 * requests, outcome decoding, retry decisions, routing, listeners) is one implementation that
 * composes the futures returned here.
 *
 * <p>{@link BlockingTransport} calls {@code DynamoDbClient} and sleeps: its futures are complete
 * when returned, so the write runs to its end on the calling thread. {@link AsyncTransport} calls
 * {@code DynamoDbAsyncClient} and schedules pauses: its futures complete on the user's executor,
 * never on an SDK thread.
 *
 * <p>A failed call completes its future exceptionally with the SDK's exception itself, as the
 * blocking client throws it (never wrapped in {@code CompletionException}).
 */
public interface Transport {

  CompletableFuture<PutItemResponse> putItem(String region, PutItemRequest request);

  CompletableFuture<UpdateItemResponse> updateItem(String region, UpdateItemRequest request);

  CompletableFuture<DeleteItemResponse> deleteItem(String region, DeleteItemRequest request);

  CompletableFuture<GetItemResponse> getItem(String region, GetItemRequest request);

  CompletableFuture<TransactWriteItemsResponse> transactWriteItems(
      String region, TransactWriteItemsRequest request);

  /**
   * Completes after {@code millis} milliseconds; exceptionally with {@link InterruptedException} if
   * the blocking wait was interrupted.
   */
  CompletableFuture<Void> pause(long millis);

  /** Runs the first step of a write: on the calling thread, or handed to the user's executor. */
  void start(Runnable firstStep);

  /**
   * Whether a thread of the caller waits in {@link #pause} and the calls (then an interrupt is a
   * {@link dev.gtguard.exception.WriteInterruptedException} and the flag is restored).
   */
  boolean blocking();
}
