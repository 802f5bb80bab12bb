package dev.gtguard;

import com.github.f4b6a3.ulid.Ulid;
import dev.gtguard.exception.ItemAlreadyExistsException;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.internal.ClientRegion;
import dev.gtguard.internal.write.AppendLoop;
import dev.gtguard.internal.write.AsyncTransport;
import dev.gtguard.spi.WriteListener;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link AppendOnlyTable} on {@code DynamoDbAsyncClient}: the same puts under ULID sort keys, the
 * same resending of a put whose outcome is unknown, the same outcomes, returned as {@link
 * CompletableFuture}s. Every failure, bad input included, completes the future exceptionally with
 * the exception the blocking table throws ({@link ItemAlreadyExistsException}, {@link
 * OutcomeUnknownException}, ...). Listeners and completions run on the {@link Builder#executor
 * executor}, never on an SDK thread; pauses are scheduled. Cancelling a returned future stops
 * further attempts; once a put was sent it completes with {@link OutcomeUnknownException} instead.
 * Thread-safe.
 *
 * <pre>{@code
 * AsyncAppendOnlyTable events = AsyncAppendOnlyTable.builder()
 *     .client(dynamoDbAsync)
 *     .table(TableDescription.builder().tableName("subscriber_events").partitionKey("pk").sortKey("sk").build())
 *     .build();
 *
 * events.append(Map.of("pk", AttributeValue.fromS("sub#1"), "type", AttributeValue.fromS("ADDRESS_CHANGED")))
 *     .thenAccept(key -> log.info("appended {}", key));
 * }</pre>
 */
public final class AsyncAppendOnlyTable {
  private final TableDescription table;
  private final AppendLoop loop;

  private AsyncAppendOnlyTable(Builder b) {
    this.table = b.settings.table;
    this.loop =
        b.settings.loop(
            ClientRegion.of(b.client),
            new AsyncTransport(RegionClients.single(b.client), b.executor, b.scheduler));
  }

  /** A builder; {@code client} and {@code table} (with a sort key) are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The table's name. */
  public String tableName() {
    return table.tableName();
  }

  /** See {@link AppendOnlyTable#append(Map)}. */
  public CompletableFuture<ItemKey> append(Map<String, AttributeValue> item) {
    return append(item, AppendOnlyTable.newUlid());
  }

  /** See {@link AppendOnlyTable#append(Map, Ulid)}. */
  public CompletableFuture<ItemKey> append(Map<String, AttributeValue> item, Ulid ulid) {
    try {
      return loop.start(item, ulid);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e); // bad input: nothing sent
    }
  }

  /** Builds an {@link AsyncAppendOnlyTable}; each setter validates its argument at once. */
  public static final class Builder {
    private DynamoDbAsyncClient client;
    private final AppendSettings settings = new AppendSettings();
    private Executor executor = ForkJoinPool.commonPool();
    private ScheduledExecutorService scheduler;

    private Builder() {}

    /** The client for the region to write to: appends always stay local. Required. */
    public Builder client(DynamoDbAsyncClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** See {@link AppendOnlyTable.Builder#table}. */
    public Builder table(TableDescription table) {
      settings.table(table);
      return this;
    }

    /** See {@link AppendOnlyTable.Builder#maxAttempts}. */
    public Builder maxAttempts(int maxAttempts) {
      settings.maxAttempts(maxAttempts);
      return this;
    }

    /** Adds a listener; listeners run on the {@link #executor}. */
    public Builder listener(WriteListener listener) {
      settings.listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** See {@link AsyncVersionedTableBuilder#executor}. */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** See {@link AsyncVersionedTableBuilder#scheduler}. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * @throws IllegalStateException if a required setting is missing
     */
    public AsyncAppendOnlyTable build() {
      settings.check(client);
      return new AsyncAppendOnlyTable(this);
    }
  }
}
