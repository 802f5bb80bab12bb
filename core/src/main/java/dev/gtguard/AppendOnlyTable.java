package dev.gtguard;

import com.github.f4b6a3.ulid.Ulid;
import com.github.f4b6a3.ulid.UlidCreator;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.ItemAlreadyExistsException;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.exception.WriteInterruptedException;
import dev.gtguard.internal.ClientRegion;
import dev.gtguard.internal.write.AppendLoop;
import dev.gtguard.internal.write.BlockingTransport;
import dev.gtguard.internal.write.Waiter;
import dev.gtguard.spi.WriteListener;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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
  private final TableDescription table;
  private final AppendLoop loop;

  private AppendOnlyTable(Builder b) {
    this.table = b.settings.table;
    this.loop =
        b.settings.loop(
            ClientRegion.of(b.client),
            new BlockingTransport(RegionClients.single(b.client), Waiter.SLEEP));
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
    return loop.run(item, ulid);
  }

  /** Builds an {@link AppendOnlyTable}; each setter validates its argument at once. */
  public static final class Builder {
    private DynamoDbClient client;
    private final AppendSettings settings = new AppendSettings();

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
      settings.table(table);
      return this;
    }

    /**
     * How many puts one append may send when the outcome is unknown (client errors, 5xx after the
     * SDK's own retries), all with the same ULID. Default 3.
     *
     * @throws IllegalArgumentException if {@code maxAttempts < 1}
     */
    public Builder maxAttempts(int maxAttempts) {
      settings.maxAttempts(maxAttempts);
      return this;
    }

    /** Adds a listener. */
    public Builder listener(WriteListener listener) {
      settings.listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * @throws IllegalStateException if a required setting is missing
     */
    public AppendOnlyTable build() {
      settings.check(client);
      return new AppendOnlyTable(this);
    }
  }
}
