package dev.gtguard;

import com.github.f4b6a3.ulid.Ulid;
import com.github.f4b6a3.ulid.UlidCreator;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.ItemAlreadyExistsException;
import dev.gtguard.internal.Arguments;
import dev.gtguard.internal.ClientRegion;
import dev.gtguard.internal.KeySchema;
import dev.gtguard.internal.Listeners;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spi.WriteOperation;
import dev.gtguard.spi.WriteSucceeded;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkClientException;
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
 * ULID, and a refusal that returns an identical item counts as success, so a retry never appends
 * twice.
 *
 * <pre>{@code
 * AppendOnlyTable events = AppendOnlyTable.builder()
 *     .client(dynamoDb)
 *     .tableName("subscriber_events")
 *     .partitionKey("pk")
 *     .sortKey("sk")
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
  private final DynamoDbClient client;
  private final KeySchema schema;
  private final Listeners listeners;
  private final Retry retry;
  private final String region;

  private AppendOnlyTable(Builder b) {
    this.client = b.client;
    this.schema = new KeySchema(b.tableName, b.partitionKey, b.sortKey);
    this.listeners = new Listeners(List.copyOf(b.listeners));
    this.region = ClientRegion.of(client);
    this.retry =
        Retry.of(
            "gtguard-append-" + b.tableName,
            RetryConfig.custom()
                .maxAttempts(b.maxAttempts)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(50, 2.0, 0.5))
                .retryOnException(AppendOnlyTable::outcomeUnknown)
                .build());
  }

  /**
   * A builder; {@code client}, {@code tableName}, {@code partitionKey}, {@code sortKey} required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The table's name. */
  public String tableName() {
    return schema.tableName();
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
   */
  public ItemKey append(Map<String, AttributeValue> item, Ulid ulid) {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(ulid, "ulid");
    if (item.containsKey(schema.sortKey())) {
      throw schema.invalid(
          InvalidItemException.Reason.MISSING_KEY,
          "leave the sort key '" + schema.sortKey() + "' out: append sets it to a ULID",
          null);
    }
    Map<String, AttributeValue> stored = new LinkedHashMap<>(item);
    stored.put(schema.sortKey(), AttributeValue.fromS(ulid.toString()));
    ItemKey key = schema.keyOf(stored);
    stored.keySet().forEach(name -> schema.checkNotReserved(name, key));
    schema.checkSize(stored, key);

    PutItemRequest request =
        PutItemRequest.builder()
            .tableName(schema.tableName())
            .item(stored)
            .conditionExpression("attribute_not_exists(#gt_sk)")
            .expressionAttributeNames(Map.of("#gt_sk", schema.sortKey()))
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
            .build();
    int[] attempts = {0};
    retry.executeRunnable(
        () -> {
          attempts[0]++;
          try {
            client.putItem(request);
          } catch (ConditionalCheckFailedException e) {
            if (!e.hasItem() || !stored.equals(e.item())) {
              throw new ItemAlreadyExistsException(schema.tableName(), key, region, null, e);
            }
            // Identical item under our ULID: an earlier attempt of this append landed.
          }
        });
    listeners.onWriteSucceeded(
        new WriteSucceeded(
            schema.tableName(), key, region, WriteOperation.APPEND, 0, null, attempts[0]));
    return key;
  }

  /** Errors after which the put may or may not have been applied. */
  private static boolean outcomeUnknown(Throwable e) {
    if (e instanceof SdkClientException) {
      return true;
    }
    return e instanceof DynamoDbException d
        && !(d instanceof ConditionalCheckFailedException)
        && d.statusCode() >= 500;
  }

  /** Builds an {@link AppendOnlyTable}; each setter validates its argument at once. */
  public static final class Builder {
    private DynamoDbClient client;
    private String tableName;
    private String partitionKey;
    private String sortKey;
    private int maxAttempts = 3;
    private final List<WriteListener> listeners = new ArrayList<>();

    private Builder() {}

    /** The client for the region to write to: appends always stay local. Required. */
    public Builder client(DynamoDbClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The table's name. Required. */
    public Builder tableName(String tableName) {
      this.tableName = Arguments.nonBlank(tableName, "tableName");
      return this;
    }

    /** The partition key attribute's name. Required. */
    public Builder partitionKey(String partitionKey) {
      this.partitionKey = Arguments.nonBlank(partitionKey, "partitionKey");
      return this;
    }

    /** The sort key attribute's name; it must be a string attribute. Required. */
    public Builder sortKey(String sortKey) {
      this.sortKey = Arguments.nonBlank(sortKey, "sortKey");
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
      if (client == null || tableName == null || partitionKey == null || sortKey == null) {
        throw new IllegalStateException("client, tableName, partitionKey and sortKey are required");
      }
      return new AppendOnlyTable(this);
    }
  }
}
