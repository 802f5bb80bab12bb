package dev.gtguard.internal.write;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The asynchronous twin of {@link WriteExecutor}: sends the very requests {@link VersionedWrite}
 * renders for the blocking path, through a {@link DynamoDbAsyncClient}. Only sending differs; the
 * returned future completes (on an SDK thread) as the SDK's does.
 */
public interface AsyncWriteExecutor {

  /** See {@link WriteExecutor#check}. */
  void check(VersionedWrite write);

  /**
   * Sends one attempt.
   *
   * @return the item as DynamoDB stored it when the response carries it (a plain update), else
   *     null; completed exceptionally as the SDK's future is
   */
  CompletableFuture<Map<String, AttributeValue>> send(
      DynamoDbAsyncClient client, VersionedWrite write);
}
