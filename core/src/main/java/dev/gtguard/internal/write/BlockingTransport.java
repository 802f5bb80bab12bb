package dev.gtguard.internal.write;

import dev.gtguard.RegionClients;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
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
 * {@link Transport} over {@code DynamoDbClient}: each call runs on the calling thread and returns a
 * completed future; pauses are taken by the {@link Waiter}.
 */
public final class BlockingTransport implements Transport {
  private final RegionClients regions;
  private final Waiter waiter;

  public BlockingTransport(RegionClients regions, Waiter waiter) {
    this.regions = regions;
    this.waiter = waiter;
  }

  private DynamoDbClient client(String region) {
    return regions.client(region);
  }

  @Override
  public CompletableFuture<PutItemResponse> putItem(String region, PutItemRequest request) {
    return Futures.of(() -> client(region).putItem(request));
  }

  @Override
  public CompletableFuture<UpdateItemResponse> updateItem(
      String region, UpdateItemRequest request) {
    return Futures.of(() -> client(region).updateItem(request));
  }

  @Override
  public CompletableFuture<DeleteItemResponse> deleteItem(
      String region, DeleteItemRequest request) {
    return Futures.of(() -> client(region).deleteItem(request));
  }

  @Override
  public CompletableFuture<GetItemResponse> getItem(String region, GetItemRequest request) {
    return Futures.of(() -> client(region).getItem(request));
  }

  @Override
  public CompletableFuture<TransactWriteItemsResponse> transactWriteItems(
      String region, TransactWriteItemsRequest request) {
    return Futures.of(() -> client(region).transactWriteItems(request));
  }

  @Override
  public CompletableFuture<Void> pause(long millis) {
    try {
      waiter.await(millis);
      return Futures.DONE;
    } catch (InterruptedException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void start(Runnable firstStep) {
    firstStep.run();
  }

  @Override
  public boolean blocking() {
    return true;
  }
}
