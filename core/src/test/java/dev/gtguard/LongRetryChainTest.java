package dev.gtguard;

import static dev.gtguard.Items.increment;
import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The one write loop is a trampoline: 5,000 conflicts in a row, each answered at once (a blocking
 * client, or an asynchronous one whose futures are complete and whose executor runs inline), do not
 * grow the stack. Mockito stands in for DynamoDB: no server refuses 5,000 times on demand.
 */
class LongRetryChainTest {
  private static final int CONFLICTS = 5_000;
  private static final ItemKey KEY = ItemKey.of("pk", "sub#1");
  private static final ConflictRetryPolicy NO_PAUSE =
      ConflictRetryPolicy.builder()
          .maxAttempts(CONFLICTS + 1)
          .baseDelay(Duration.ZERO)
          .maxDelay(Duration.ZERO)
          .build();

  private final AtomicLong version = new AtomicLong(1);

  /** The item one version further than the last refusal's: another writer always got in first. */
  private ConditionalCheckFailedException refusal() {
    return ConditionalCheckFailedException.builder()
        .item(itemAt(version.incrementAndGet()))
        .build();
  }

  private UpdateItemResponse stored(UpdateItemRequest request) {
    return UpdateItemResponse.builder().build();
  }

  private static Map<String, AttributeValue> itemAt(long version) {
    return item(
        "pk",
        s("sub#1"),
        "count",
        n(version),
        "version",
        n(version),
        "write_token",
        s("t" + version));
  }

  @Test
  void blocking_fiveThousandConflicts_thenSuccess() {
    DynamoDbClient client = mock(DynamoDbClient.class);
    when(client.getItem(any(GetItemRequest.class)))
        .thenReturn(GetItemResponse.builder().item(itemAt(1)).build());
    when(client.updateItem(any(UpdateItemRequest.class)))
        .thenAnswer(
            call -> {
              if (version.get() <= CONFLICTS) {
                throw refusal();
              }
              return stored(call.getArgument(0));
            });
    VersionedTable table =
        VersionedTable.builder()
            .client(client)
            .tableName("subscribers")
            .partitionKey("pk")
            .retryPolicy(NO_PAUSE)
            .build();

    UpdateResult result = table.update(KEY, increment());

    assertThat(result.attempts()).isEqualTo(CONFLICTS + 1);
    assertThat(result.item().version()).isEqualTo(CONFLICTS + 2);
  }

  @Test
  void async_fiveThousandConflicts_answeredAtOnce_onAnInlineExecutor() throws Exception {
    DynamoDbAsyncClient client = mock(DynamoDbAsyncClient.class);
    when(client.getItem(any(GetItemRequest.class)))
        .thenReturn(
            CompletableFuture.completedFuture(GetItemResponse.builder().item(itemAt(1)).build()));
    when(client.updateItem(any(UpdateItemRequest.class)))
        .thenAnswer(
            call ->
                version.get() <= CONFLICTS
                    ? CompletableFuture.failedFuture(refusal())
                    : CompletableFuture.completedFuture(stored(call.getArgument(0))));
    AsyncVersionedTable table =
        AsyncVersionedTable.builder()
            .client(client)
            .tableName("subscribers")
            .partitionKey("pk")
            .retryPolicy(NO_PAUSE)
            .executor(Runnable::run)
            .build();

    UpdateResult result = table.update(KEY, increment()).get(60, TimeUnit.SECONDS);

    assertThat(result.attempts()).isEqualTo(CONFLICTS + 1);
    assertThat(result.item().version()).isEqualTo(CONFLICTS + 2);
  }
}
