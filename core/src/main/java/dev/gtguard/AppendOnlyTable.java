package dev.gtguard;

import com.github.f4b6a3.ulid.Ulid;
import com.github.f4b6a3.ulid.UlidCreator;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.ItemAlreadyExistsException;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.exception.WriteInterruptedException;
import dev.gtguard.internal.AttributeValues;
import dev.gtguard.internal.ClientRegion;
import dev.gtguard.internal.InputRules;
import dev.gtguard.internal.Listeners;
import dev.gtguard.internal.write.Refusals;
import dev.gtguard.internal.write.SdkFaults;
import dev.gtguard.internal.write.Waiter;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spi.WriteOperation;
import dev.gtguard.spi.WriteSucceeded;
import io.github.resilience4j.core.IntervalFunction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * A table that is only ever appended to (audit logs, events): each item gets a new ULID sort key,
 * so no two writes ever touch the same item and Global Tables have nothing to resolve. No version,
 * no conflicts, no lost writes. Thread-safe.
 *
 * <p>ULIDs come from a monotonic generator, so they sort in the order they were made (within one
 * process) and by time across processes. Each item is put with {@code attribute_not_exists(<sk>)};
 * when the outcome of a put is unknown (the response was lost), it is sent again with the same
 * ULID, and a refusal that returns the same item (compared as DynamoDB compares values: {@code
 * 1.50} is {@code 1.5}, sets have no order) counts as success, so a retry never appends twice. When
 * every attempt's outcome stays unknown, {@link OutcomeUnknownException} says so.
 *
 * <pre>{@code
 * AppendOnlyTable events = AppendOnlyTable.builder()
 *     .client(dynamoDb)
 *     .table(TableDescription.builder().tableName("subscriber_events").partitionKey("pk").sortKey("sk").build())
 *     .build();
 *
 * ItemKey key = events.append(Map.of(
 *     "pk", AttributeValue.fromS("sub#1"),
 *     "type", AttributeValue.fromS("ADDRESS_CHANGED")));
 * }</pre>
 *
 * <p>To make a retry idempotent across process restarts, draw the ULID first with {@link
 * #newUlid()}, keep it, and pass it to {@link #append(Map, Ulid)} each time.
 */
public final class AppendOnlyTable {
  /** Pauses between puts whose outcome is unknown: 50 ms, doubling, half jitter. */
  private static final IntervalFunction PAUSES =
      IntervalFunction.ofExponentialRandomBackoff(50, 2.0, 0.5);

  private final DynamoDbClient client;
  private final TableDescription table;
  private final InputRules rules;
  private final Listeners listeners;
  private final int maxAttempts;
  private final String region;

  private AppendOnlyTable(Builder b) {
    this.client = b.client;
    this.table = b.table;
    this.rules = new InputRules(table);
    this.listeners = new Listeners(b.listeners);
    this.maxAttempts = b.maxAttempts;
    this.region = ClientRegion.of(client);
  }

  /** A builder; {@code client} and {@code table} (with a sort key) are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The table's name. */
  public String tableName() {
    return table.tableName();
  }

  /** A new ULID from the monotonic generator, for {@link #append(Map, Ulid)}. */
  public static Ulid newUlid() {
    return UlidCreator.getMonotonicUlid();
  }

  /**
   * Appends an item under a new ULID sort key.
   *
   * @param item the item's attributes with its partition key and without its sort key
   * @return the stored item's key
   * @throws InvalidItemException if the item breaks an input rule; nothing is written
   * @throws OutcomeUnknownException if every attempt's response was lost
   */
  public ItemKey append(Map<String, AttributeValue> item) {
    return append(item, newUlid());
  }

  /**
   * Appends an item under the given ULID; calling this again with the same item and ULID does not
   * append twice.
   *
   * @throws ItemAlreadyExistsException if another item already holds this ULID
   * @throws InvalidItemException if the item breaks an input rule; nothing is written
   * @throws OutcomeUnknownException if every attempt's response was lost: it may or may not have
   *     been appended (call again with the same ULID to find out)
   * @throws WriteInterruptedException if the thread was interrupted
   */
  public ItemKey append(Map<String, AttributeValue> item, Ulid ulid) {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(ulid, "ulid");
    String sortKey = table.sortKey().orElseThrow();
    if (item.containsKey(sortKey)) {
      throw rules.invalid(
          InvalidItemException.Reason.MISSING_KEY,
          "leave the sort key '" + sortKey + "' out: append sets it to a ULID",
          null);
    }
    Map<String, AttributeValue> stored = new LinkedHashMap<>(item);
    stored.put(sortKey, AttributeValue.fromS(ulid.toString()));
    ItemKey key = rules.checkAppend(stored);
    PutItemRequest request =
        PutItemRequest.builder()
            .tableName(table.tableName())
            .item(stored)
            .conditionExpression("attribute_not_exists(#gt_sk)")
            .expressionAttributeNames(Map.of("#gt_sk", sortKey))
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
            .build();
    boolean mayHaveApplied = false;
    for (int attempt = 1; ; attempt++) {
      try {
        client.putItem(request);
      } catch (ConditionalCheckFailedException e) {
        // Our own earlier attempt landed: the same item under our ULID.
        if (!e.hasItem() || !AttributeValues.sameItem(stored, e.item())) {
          throw new ItemAlreadyExistsException(table.tableName(), key, region, null, e);
        }
      } catch (SdkException e) {
        SdkFaults.Fault fault = SdkFaults.classify(e);
        mayHaveApplied |= fault.mayHaveApplied();
        if (fault.last() == SdkFaults.Delivery.INTERRUPTED) {
          Thread.currentThread().interrupt();
          throw new WriteInterruptedException(
              table.tableName(), key, region, WriteOperation.APPEND, mayHaveApplied, e);
        }
        if (!mayHaveApplied) {
          throw e instanceof DynamoDbException d ? Refusals.typed(d, table.tableName(), key) : e;
        }
        if (attempt >= maxAttempts) {
          throw new OutcomeUnknownException(
              table.tableName(), key, region, WriteOperation.APPEND, List.of(ulid.toString()), e);
        }
        pause(attempt, key, e);
        continue;
      }
      listeners.onWriteSucceeded(
          new WriteSucceeded(
              table.tableName(), key, region, WriteOperation.APPEND, 0, null, attempt));
      return key;
    }
  }

  private void pause(int attempt, ItemKey key, SdkException cause) {
    try {
      Waiter.SLEEP.await(PAUSES.apply(attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WriteInterruptedException(
          table.tableName(), key, region, WriteOperation.APPEND, true, cause);
    }
  }

  /** Builds an {@link AppendOnlyTable}; each setter validates its argument at once. */
  public static final class Builder {
    private DynamoDbClient client;
    private TableDescription table;
    private int maxAttempts = 3;
    private final List<WriteListener> listeners = new ArrayList<>();

    private Builder() {}

    /** The client for the region to write to: appends always stay local. Required. */
    public Builder client(DynamoDbClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * The table; it must have a string sort key, which appends set to ULIDs. Required.
     *
     * @throws IllegalArgumentException if it has no sort key
     */
    public Builder table(TableDescription table) {
      Objects.requireNonNull(table, "table");
      if (table.sortKey().isEmpty()) {
        throw new IllegalArgumentException(
            "an append-only table needs a sort key for the ULIDs: " + table);
      }
      this.table = table;
      return this;
    }

    /**
     * How many puts one append may send when the outcome is unknown (client errors, 5xx after the
     * SDK's own retries), all with the same ULID. Default 3.
     *
     * @throws IllegalArgumentException if {@code maxAttempts < 1}
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Adds a listener. */
    public Builder listener(WriteListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * @throws IllegalStateException if a required setting is missing
     */
    public AppendOnlyTable build() {
      if (client == null || table == null) {
        throw new IllegalStateException("client and table are required");
      }
      return new AppendOnlyTable(this);
    }
  }
}
