package dev.gtguard;

import static dev.gtguard.Items.increment;
import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.gtguard.exception.RetriesExhaustedException;
import dev.gtguard.spi.ConflictKind;
import dev.gtguard.spi.RetriesExhausted;
import dev.gtguard.spi.RetryScheduled;
import dev.gtguard.spi.WriteConflict;
import dev.gtguard.spi.WriteListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReplicatedWriteConflictException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Faults DynamoDB Local cannot produce: multi-region strong consistency conflicts and throttling.
 * Mockito stands in for the service here and only here.
 */
class FaultInjectionTest {
  private static final ItemKey KEY = ItemKey.of("pk", "sub#1");

  private final DynamoDbClient client = mock(DynamoDbClient.class);
  private final List<Object> events = new CopyOnWriteArrayList<>();
  private VersionedTable table;

  @BeforeEach
  void setUp() {
    table =
        VersionedTable.builder()
            .client(client)
            .tableName("subscribers")
            .partitionKey("pk")
            .retryPolicy(
                ConflictRetryPolicy.builder()
                    .maxAttempts(3)
                    .baseDelay(Duration.ofMillis(1))
                    .maxDelay(Duration.ofMillis(2))
                    .build())
            .listener(
                new WriteListener() {
                  @Override
                  public void onConflict(WriteConflict event) {
                    events.add(event);
                  }

                  @Override
                  public void onRetry(RetryScheduled event) {
                    events.add(event);
                  }

                  @Override
                  public void onRetriesExhausted(RetriesExhausted event) {
                    events.add(event);
                  }
                })
            .build();
  }

  private static GetItemResponse itemAt(long version, long count) {
    return GetItemResponse.builder()
        .item(
            item(
                "pk",
                s("sub#1"),
                "count",
                n(count),
                "version",
                n(version),
                "write_token",
                s("t" + version)))
        .build();
  }

  private static UpdateItemResponse storedAt(long version, long count) {
    return UpdateItemResponse.builder()
        .attributes(
            item(
                "pk",
                s("sub#1"),
                "count",
                n(count),
                "version",
                n(version),
                "write_token",
                s("new")))
        .build();
  }

  private static ReplicatedWriteConflictException mrscConflict() {
    return ReplicatedWriteConflictException.builder().message("replicated write conflict").build();
  }

  @Test
  void update_replicatedWriteConflict_rereadsAndRetries() {
    when(client.getItem(any(GetItemRequest.class))).thenReturn(itemAt(5, 10), itemAt(6, 11));
    when(client.updateItem(any(UpdateItemRequest.class)))
        .thenThrow(mrscConflict())
        .thenReturn(storedAt(7, 12));

    UpdateResult result = table.update(KEY, increment());

    assertThat(result.attempts()).isEqualTo(2);
    assertThat(result.item().version()).isEqualTo(7);
    // MRSC returns no item with the refusal, so the retry reads once more: 2 reads, 2 writes.
    verify(client, times(2)).getItem(any(GetItemRequest.class));
    verify(client, times(2)).updateItem(any(UpdateItemRequest.class));
    assertThat(events)
        .hasSize(2)
        .first()
        .isInstanceOfSatisfying(
            WriteConflict.class,
            e -> assertThat(e.kind()).isEqualTo(ConflictKind.REPLICATED_WRITE_CONFLICT));
    assertThat(events.get(1))
        .isInstanceOfSatisfying(
            RetryScheduled.class, e -> assertThat(e.nextAttempt()).isEqualTo(2));
  }

  @Test
  void update_replicatedWriteConflictEveryTime_throwsRetriesExhausted() {
    when(client.getItem(any(GetItemRequest.class))).thenReturn(itemAt(5, 10));
    when(client.updateItem(any(UpdateItemRequest.class))).thenThrow(mrscConflict());

    assertThatThrownBy(() -> table.update(KEY, increment()))
        .isInstanceOfSatisfying(
            RetriesExhaustedException.class,
            e -> {
              assertThat(e.attempts()).isEqualTo(3);
              assertThat(e.lastSeenVersion()).isEqualTo(5);
              assertThat(e.key()).isEqualTo(KEY);
              assertThat(e.getCause()).isInstanceOf(ReplicatedWriteConflictException.class);
            });
    verify(client, times(3)).updateItem(any(UpdateItemRequest.class));
    assertThat(events).last().isInstanceOf(RetriesExhausted.class);
  }

  @Test
  void update_versionConflictEveryTime_readsAgainAfterEachPause_thenRetriesExhausted() {
    when(client.getItem(any(GetItemRequest.class))).thenReturn(itemAt(5, 10));
    when(client.updateItem(any(UpdateItemRequest.class)))
        .thenThrow(
            ConditionalCheckFailedException.builder().item(itemAt(6, 11).item()).build(),
            ConditionalCheckFailedException.builder().item(itemAt(7, 12).item()).build(),
            ConditionalCheckFailedException.builder().item(itemAt(8, 13).item()).build());

    assertThatThrownBy(() -> table.update(KEY, increment()))
        .isInstanceOfSatisfying(
            RetriesExhaustedException.class,
            e -> {
              assertThat(e.attempts()).isEqualTo(3);
              assertThat(e.lastSeenVersion()).isEqualTo(8);
            });
    verify(client, times(3)).getItem(any(GetItemRequest.class));
  }

  @Test
  void update_immediateRetries_retryOnTheRefusedItemWithoutReading() {
    VersionedTable immediate =
        VersionedTable.builder()
            .client(client)
            .tableName("subscribers")
            .partitionKey("pk")
            .retryPolicy(
                ConflictRetryPolicy.builder()
                    .maxAttempts(3)
                    .immediateRetries(2)
                    .baseDelay(Duration.ofMillis(1))
                    .maxDelay(Duration.ofMillis(2))
                    .build())
            .build();
    when(client.getItem(any(GetItemRequest.class))).thenReturn(itemAt(5, 10));
    when(client.updateItem(any(UpdateItemRequest.class)))
        .thenThrow(
            ConditionalCheckFailedException.builder().item(itemAt(6, 11).item()).build(),
            ConditionalCheckFailedException.builder().item(itemAt(7, 12).item()).build(),
            ConditionalCheckFailedException.builder().item(itemAt(8, 13).item()).build());

    assertThatThrownBy(() -> immediate.update(KEY, increment()))
        .isInstanceOf(RetriesExhaustedException.class);
    verify(client, times(1)).getItem(any(GetItemRequest.class));
    ArgumentCaptor<UpdateItemRequest> sent = ArgumentCaptor.forClass(UpdateItemRequest.class);
    verify(client, times(3)).updateItem(sent.capture());
    assertThat(sent.getAllValues())
        .extracting(r -> r.expressionAttributeValues().get(":gt_ev").n())
        .as("each retry built on the item refused with the one before")
        .containsExactly("5", "6", "7");
  }

  @Test
  void update_throttled_propagatesWithoutConflictRetry() {
    when(client.getItem(any(GetItemRequest.class))).thenReturn(itemAt(5, 10));
    ProvisionedThroughputExceededException throttled =
        ProvisionedThroughputExceededException.builder().message("slow down").build();
    when(client.updateItem(any(UpdateItemRequest.class))).thenThrow(throttled);

    // The SDK's own retry strategy already backed off on throttling; retrying again here would
    // multiply the load on a throttled table.
    assertThatThrownBy(() -> table.update(KEY, increment())).isSameAs(throttled);
    verify(client, times(1)).updateItem(any(UpdateItemRequest.class));
    assertThat(events).isEmpty();
  }

  @Test
  void create_replicatedWriteConflict_retriesSamePut() {
    when(client.putItem(any(PutItemRequest.class)))
        .thenThrow(mrscConflict())
        .thenReturn(PutItemResponse.builder().build());

    VersionedItem created = table.create(item("pk", s("sub#1"), "count", n(0)));

    assertThat(created.version()).isEqualTo(1);
    verify(client, times(2)).putItem(any(PutItemRequest.class));
  }
}
