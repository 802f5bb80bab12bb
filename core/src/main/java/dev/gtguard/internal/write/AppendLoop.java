package dev.gtguard.internal.write;

import com.github.f4b6a3.ulid.Ulid;
import dev.gtguard.ItemKey;
import dev.gtguard.TableDescription;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.ItemAlreadyExistsException;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.internal.AttributeValues;
import dev.gtguard.internal.InputRules;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spi.WriteOperation;
import dev.gtguard.spi.WriteSucceeded;
import io.github.resilience4j.core.IntervalFunction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The one implementation of an append (blocking or asynchronous, by its {@link Transport}): a put
 * under a ULID sort key with {@code attribute_not_exists}; when its outcome is unknown, the same
 * put again, and a refusal that returns the same item counts as success.
 */
public final class AppendLoop {
  /** Pauses between puts whose outcome is unknown: 50 ms, doubling, half jitter. */
  private static final IntervalFunction PAUSES =
      IntervalFunction.ofExponentialRandomBackoff(50, 2.0, 0.5);

  private final TableDescription table;
  private final InputRules rules;
  private final String region;
  private final Transport transport;
  private final WriteListener listeners;
  private final int maxAttempts;

  public AppendLoop(
      TableDescription table,
      String region,
      Transport transport,
      WriteListener listeners,
      int maxAttempts) {
    this.table = table;
    this.rules = new InputRules(table);
    this.region = region;
    this.transport = transport;
    this.listeners = listeners;
    this.maxAttempts = maxAttempts;
  }

  /**
   * Starts the append of {@code item} under {@code ulid}. The future completes with the stored
   * item's key, or exceptionally with the exception the blocking table throws; cancelling it stops
   * further attempts, and reports {@link OutcomeUnknownException} if one may have been applied.
   *
   * @throws InvalidItemException if the item breaks an input rule: nothing is sent
   */
  public CompletableFuture<ItemKey> start(Map<String, AttributeValue> item, Ulid ulid) {
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
    Append append = new Append(stored, key, ulid);
    transport.start(append::loop);
    return append.future;
  }

  /** Runs {@link #start} to its end (blocking transport). */
  public ItemKey run(Map<String, AttributeValue> item, Ulid ulid) {
    return Futures.join(start(item, ulid));
  }

  /** The state of one append. */
  private final class Append implements WriteFuture.Write {
    final Map<String, AttributeValue> stored;
    final ItemKey key;
    final Ulid ulid;
    final PutItemRequest request;
    final WriteFuture<ItemKey> future = new WriteFuture<>(this);
    int attempt;
    boolean mayHaveApplied;
    boolean inFlight;

    Append(Map<String, AttributeValue> stored, ItemKey key, Ulid ulid) {
      this.stored = stored;
      this.key = key;
      this.ulid = ulid;
      this.request =
          PutItemRequest.builder()
              .tableName(table.tableName())
              .item(stored)
              .conditionExpression("attribute_not_exists(#gt_sk)")
              .expressionAttributeNames(Map.of("#gt_sk", table.sortKey().orElseThrow()))
              .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
              .build();
    }

    void loop() {
      Trampoline.run(this::step, future::isDone, error -> future.fail(Futures.unwrap(error)));
    }

    CompletableFuture<Void> step() {
      synchronized (this) {
        if (future.isDone()) {
          return Futures.DONE;
        }
        inFlight = true;
      }
      attempt++;
      return transport
          .putItem(region, request)
          // A put that applied stays "in flight" until the append ends with it, so that a cancel
          // meanwhile never says "not written"; a failure's outcome is recorded in failed().
          .handle((response, error) -> error == null ? succeeded() : failed(Futures.unwrap(error)))
          .thenCompose(next -> next);
    }

    CompletableFuture<Void> succeeded() {
      listeners.onWriteSucceeded(
          new WriteSucceeded(
              table.tableName(), key, region, WriteOperation.APPEND, 0, null, attempt));
      future.succeed(key);
      return Futures.DONE;
    }

    CompletableFuture<Void> failed(Throwable error) {
      if (error instanceof ConditionalCheckFailedException e) {
        // Our own earlier attempt landed: the same item under our ULID.
        if (e.hasItem() && AttributeValues.sameItem(stored, e.item())) {
          return succeeded();
        }
        throw new ItemAlreadyExistsException(table.tableName(), key, region, null, e);
      }
      if (!(error instanceof SdkException e)) {
        throw Futures.rethrown(error);
      }
      SdkFaults.Fault fault = SdkFaults.classify(e);
      synchronized (this) {
        mayHaveApplied |= fault.mayHaveApplied();
        inFlight = false;
      }
      if (fault.last() == SdkFaults.Delivery.INTERRUPTED) {
        throw interrupted(e);
      }
      if (!mayHaveApplied) {
        throw e instanceof DynamoDbException d ? Refusals.typed(d, table.tableName(), key) : e;
      }
      if (attempt >= maxAttempts) {
        throw unknown(e);
      }
      return transport
          .pause(PAUSES.apply(attempt))
          .handle(
              (paused, pauseError) -> {
                if (pauseError != null) {
                  throw interrupted(e);
                }
                return null;
              });
    }

    @Override
    public synchronized boolean mayHaveApplied() {
      return inFlight || mayHaveApplied;
    }

    @Override
    public OutcomeUnknownException unknown(Throwable cause) {
      return new OutcomeUnknownException(
          table.tableName(), key, region, WriteOperation.APPEND, List.of(ulid.toString()), cause);
    }

    RuntimeException interrupted(SdkException cause) {
      return Interrupts.ended(
          transport,
          table.tableName(),
          key,
          region,
          WriteOperation.APPEND,
          true,
          cause,
          this::unknown);
    }
  }
}
