package dev.gtguard.samples.async;

import dev.gtguard.AsyncVersionedTable;
import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.UpdateResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * The README's asynchronous example, compiled: {@code AsyncReadmeSnippetTest} checks that the
 * README holds the text between the {@code README:} markers verbatim, and runs {@link #example}.
 */
public final class AsyncSubscribers {
  private AsyncSubscribers() {}

  /** Moves a subscriber to the gold plan; the future completes on {@code applicationExecutor}. */
  public static CompletableFuture<UpdateResult> example(
      DynamoDbAsyncClient dynamoDbAsync, Executor applicationExecutor) {
    // README:async
    AsyncVersionedTable subscribers =
        AsyncVersionedTable.builder()
            .client(dynamoDbAsync) // or .clients(RegionClients) with async clients
            .tableName("subscribers")
            .partitionKey("pk")
            .executor(applicationExecutor) // runs update functions, listeners, completions
            .build();

    CompletableFuture<UpdateResult> upgraded =
        subscribers.update(
            ItemKey.of("pk", "sub#1"), item -> Changes.builder().set("plan", "gold").build());
    // README:end
    return upgraded;
  }
}
