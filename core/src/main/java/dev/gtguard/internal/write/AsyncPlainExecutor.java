package dev.gtguard.internal.write;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@link PlainExecutor} on a {@link DynamoDbAsyncClient}: one plain request per attempt. */
public final class AsyncPlainExecutor implements AsyncWriteExecutor {

  @Override
  public void check(VersionedWrite write) {}

  @Override
  public CompletableFuture<Map<String, AttributeValue>> send(
      DynamoDbAsyncClient client, VersionedWrite write) {
    return switch (write.operation()) {
      case CREATE -> client.putItem(write.putRequest()).thenApply(response -> null);
      case UPDATE -> client.updateItem(write.updateRequest()).thenApply(r -> r.attributes());
      case DELETE -> client.deleteItem(write.deleteRequest()).thenApply(response -> null);
      case APPEND ->
          CompletableFuture.failedFuture(
              new IllegalStateException("appends are not versioned writes"));
    };
  }
}
