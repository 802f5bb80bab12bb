package dev.gtguard;

import com.github.f4b6a3.ulid.UlidCreator;
import dev.gtguard.batch.HomeRegionBatch;
import dev.gtguard.exception.ConditionNotMetException;
import dev.gtguard.exception.HomeRegionUnavailableException;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.InvalidItemException.Reason;
import dev.gtguard.exception.ItemAlreadyExistsException;
import dev.gtguard.exception.ItemNotFoundException;
import dev.gtguard.exception.RetriesExhaustedException;
import dev.gtguard.exception.UnknownRegionException;
import dev.gtguard.exception.VersionConflictException;
import dev.gtguard.internal.Arguments;
import dev.gtguard.internal.ConflictRetries;
import dev.gtguard.internal.ConflictSignal;
import dev.gtguard.internal.KeySchema;
import dev.gtguard.internal.LedgerEntries;
import dev.gtguard.internal.Listeners;
import dev.gtguard.internal.ManagedAttributes;
import dev.gtguard.internal.Router;
import dev.gtguard.internal.Router.Route;
import dev.gtguard.internal.VersionExpressions;
import dev.gtguard.ledger.Reconciler;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.spi.ConflictKind;
import dev.gtguard.spi.RetriesExhausted;
import dev.gtguard.spi.WriteConflict;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spi.WriteOperation;
import dev.gtguard.spi.WriteRerouted;
import dev.gtguard.spi.WriteSucceeded;
import io.github.resilience4j.retry.Retry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReplicatedWriteConflictException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A DynamoDB table whose items carry a version and a write token, so that concurrent writers never
 * overwrite each other's changes unnoticed. Thread-safe; build one per table and share it.
 *
 * <p>Every write is conditional on the version and write token the writer last saw:
 *
 * <ul>
 *   <li>{@link #create} puts a new item at version 1 with {@code attribute_not_exists(<pk>)};
 *   <li>{@link #update(ItemKey, UpdateFunction)} reads the item (strongly consistent), applies your
 *       function, and sends one {@code UpdateItem} that sets only the changed attributes plus the
 *       next version and a fresh write token. When another writer got in first, DynamoDB returns
 *       the current item with the refusal ({@code ReturnValuesOnConditionCheckFailure=ALL_OLD});
 *       the function is applied to that item and the write is sent again after a full-jitter pause:
 *       no extra read per retry;
 *   <li>{@link #update(ItemKey, ExpectedVersion, Changes)} and {@link #delete} write once and throw
 *       {@link VersionConflictException} when the item moved on.
 * </ul>
 *
 * <p>Items written without this library (no version attribute) are adopted as version 0 by their
 * first update, unless the table is built with {@code adoptLegacyItems(false)}.
 *
 * <pre>{@code
 * VersionedTable subscribers = VersionedTable.builder()
 *     .client(dynamoDb)
 *     .tableName("subscribers")
 *     .partitionKey("pk")
 *     .build();
 *
 * subscribers.create(Map.of("pk", AttributeValue.fromS("sub#1"), "count", AttributeValue.fromN("0")));
 * subscribers.update(ItemKey.of("pk", "sub#1"), item -> Changes.builder()
 *     .set("count", Long.parseLong(item.get("count").n()) + 1)
 *     .build());
 * }</pre>
 *
 * <p>Within one region this prevents lost updates. Across the regions of a Global Table a
 * conditional write is checked only against the local replica, so two regions can still both win;
 * the write token makes such an overwrite visible at the next write. Routing each contested item's
 * writes to one home region removes it.
 */
public final class VersionedTable {
  /** As long as a ULID write token, for size checks before the token is drawn. */
  private static final AttributeValue TOKEN_SIZE_PLACEHOLDER = AttributeValue.fromS("0".repeat(26));

  private final RegionClients regions;
  private final Router router;
  private final KeySchema schema;
  private final String versionAttribute;
  private final String tokenAttribute;
  private final String parentAttribute;
  private final ManagedAttributes managed;
  private final boolean adoptLegacyItems;
  private final ConflictRetryPolicy retryPolicy;
  private final Listeners listeners;
  private final Retry retry;
  private final Supplier<String> writeTokens;
  private final WriteLedger ledger;

  private VersionedTable(Builder b) {
    this.ledger = b.ledger;
    this.regions = b.regions;
    this.schema = new KeySchema(b.tableName, b.partitionKey, b.sortKey);
    this.versionAttribute = b.versionAttribute;
    this.tokenAttribute = b.tokenAttribute;
    this.parentAttribute = b.parentAttribute;
    this.managed = new ManagedAttributes(versionAttribute, tokenAttribute, parentAttribute);
    this.adoptLegacyItems = b.adoptLegacyItems;
    this.retryPolicy = b.retryPolicy;
    this.listeners = new Listeners(List.copyOf(b.listeners));
    this.router = new Router(regions, b.homeRegion, b.failoverPolicy, b.tableName, listeners);
    this.retry =
        ConflictRetries.create("gtguard-" + b.tableName, retryPolicy, b.tableName, listeners);
    this.writeTokens = () -> UlidCreator.getUlid().toString();
  }

  /**
   * A builder; {@code client} (or {@code clients}), {@code tableName}, {@code partitionKey}
   * required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The table's name. */
  public String tableName() {
    return schema.tableName();
  }

  /** The local region: where plain reads go, and writes of items whose home it is. */
  public String region() {
    return regions.localRegion();
  }

  /** The attribute holding the version. */
  public String versionAttribute() {
    return versionAttribute;
  }

  /** The attribute holding the write token. */
  public String tokenAttribute() {
    return tokenAttribute;
  }

  /** The attribute holding the parent write token. */
  public String parentTokenAttribute() {
    return parentAttribute;
  }

  /** The retry policy of {@link #update(ItemKey, UpdateFunction)}. */
  public ConflictRetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /**
   * Reads an item from the local region, eventually consistent.
   *
   * @throws InvalidItemException if the key does not match the table's key schema, or the stored
   *     version is not a number
   */
  public Optional<VersionedItem> get(ItemKey key) {
    return get(key, ReadConsistency.EVENTUAL);
  }

  /**
   * Reads an item: eventually consistent from the local region, or strongly consistent from the
   * item's home region, where its writes go.
   *
   * @throws InvalidItemException if the key does not match the table's key schema, or the stored
   *     version is not a number
   * @throws UnknownRegionException if a strong read's home region is not configured
   */
  public Optional<VersionedItem> get(ItemKey key, ReadConsistency consistency) {
    schema.validate(key);
    Objects.requireNonNull(consistency, "consistency");
    if (consistency == ReadConsistency.EVENTUAL) {
      return read(router.localRegion(), router.local(), key, false);
    }
    String home;
    if (router.needsItem()) {
      Optional<VersionedItem> local = read(router.localRegion(), router.local(), key, false);
      if (local.isEmpty()) {
        return local;
      }
      home = router.homeOf(key, local.get().attributes());
    } else {
      home = router.homeOf(key, null);
    }
    return read(home, regions.client(home), key, true);
  }

  private Optional<VersionedItem> read(
      String region, DynamoDbClient client, ItemKey key, boolean consistent) {
    GetItemResponse response =
        client.getItem(
            GetItemRequest.builder()
                .tableName(schema.tableName())
                .key(key.asMap())
                .consistentRead(consistent)
                .build());
    return response.hasItem() && !response.item().isEmpty()
        ? Optional.of(toVersionedItem(response.item(), key))
        : Optional.empty();
  }

  /**
   * Puts a new item at version 1 with a fresh write token, in its home region, only if no item with
   * its key exists there.
   *
   * @param item every attribute of the new item, key included, version and token excluded
   * @return the stored item
   * @throws ItemAlreadyExistsException if the key is taken
   * @throws InvalidItemException if the item breaks an input rule; nothing is written
   * @throws UnknownRegionException if the item's home region is not configured
   * @throws HomeRegionUnavailableException if the home region is unreachable and the failover
   *     policy is {@code FAIL}
   */
  public VersionedItem create(Map<String, AttributeValue> item) {
    Objects.requireNonNull(item, "item");
    ItemKey key = schema.keyOf(item);
    for (String name : item.keySet()) {
      schema.checkNotReserved(name, key);
      if (isManaged(name)) {
        throw schema.invalid(
            Reason.VERSION_CHANGED,
            "attribute '" + name + "' is managed by the library; leave it out of created items",
            key);
      }
    }
    String token = writeTokens.get();
    Map<String, AttributeValue> stored = new LinkedHashMap<>(item);
    stored.put(versionAttribute, AttributeValue.fromN("1"));
    stored.put(tokenAttribute, AttributeValue.fromS(token));
    schema.checkSize(stored, key);
    Route[] route = {router.to(router.homeOf(key, item))};
    PutItemRequest request =
        PutItemRequest.builder()
            .tableName(schema.tableName())
            .item(stored)
            .conditionExpression("attribute_not_exists(#gt_pk)")
            .expressionAttributeNames(Map.of("#gt_pk", schema.partitionKey()))
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
            .build();

    return withReplicatedConflictRetry(
        key,
        WriteOperation.CREATE,
        0,
        route,
        attempt -> {
          try {
            if (ledger == null) {
              route[0].client().putItem(request);
            } else {
              transact(
                  route[0],
                  TransactWriteItem.builder()
                      .put(
                          Put.builder()
                              .tableName(request.tableName())
                              .item(request.item())
                              .conditionExpression(request.conditionExpression())
                              .expressionAttributeNames(request.expressionAttributeNames())
                              .returnValuesOnConditionCheckFailure(
                                  ReturnValuesOnConditionCheckFailure.ALL_OLD)
                              .build())
                      .build(),
                  key,
                  "CREATE",
                  1,
                  token,
                  null,
                  Changes.between(Map.of(), item));
            }
          } catch (ConditionalCheckFailedException e) {
            VersionedItem existing = e.hasItem() ? toVersionedItem(e.item(), key) : null;
            // Our own earlier attempt, retried by the SDK after its response was lost.
            if (existing == null || !existing.writeToken().map(token::equals).orElse(false)) {
              throw new ItemAlreadyExistsException(
                  schema.tableName(), key, route[0].region(), existing, e);
            }
          } catch (DynamoDbException e) {
            throw translate(e, key);
          }
          listeners.onWriteSucceeded(
              new WriteSucceeded(
                  schema.tableName(),
                  key,
                  route[0].region(),
                  WriteOperation.CREATE,
                  1,
                  token,
                  attempt));
          Changes created = Changes.between(Map.of(), item);
          return new VersionedItem(stored, 1, token, false)
              .acknowledgedIn(route[0].region(), created);
        });
  }

  /**
   * Read-modify-retry in the item's home region: reads the item there (strongly consistent),
   * applies {@code function}, and writes only the changes it returns, conditional on the version
   * and write token it read. On a conflict the function is applied again to the item DynamoDB
   * returned with the refusal.
   *
   * @return the stored item and the number of attempts
   * @throws ItemNotFoundException if the item does not exist
   * @throws RetriesExhaustedException if every attempt the retry policy allows lost a conflict
   * @throws ConditionNotMetException if a condition the function added is false
   * @throws InvalidItemException if the changes break an input rule; nothing is written
   * @throws UnknownRegionException if the item's home region is not configured
   * @throws HomeRegionUnavailableException if the home region is unreachable and the failover
   *     policy is {@code FAIL}
   */
  public UpdateResult update(ItemKey key, UpdateFunction function) {
    schema.validate(key);
    Objects.requireNonNull(function, "function");
    Retry.Context<Object> context = retry.context();
    Attempts attempts = new Attempts(key, WriteOperation.UPDATE, context);
    Route route;
    if (router.needsItem()) {
      VersionedItem local =
          read(router.localRegion(), router.local(), key, false)
              .orElseThrow(
                  () ->
                      new ItemNotFoundException(
                          schema.tableName(), key, router.localRegion(), null));
      route = router.to(router.homeOf(key, local.attributes()));
    } else {
      route = router.to(router.homeOf(key, null));
    }
    return updateLoop(key, attempts, route, null, function);
  }

  /**
   * Read-modify-retry starting from an item the caller already holds, which saves the initial read.
   * If the held item is stale, the first write is refused and the function is applied to the
   * current item DynamoDB returns.
   *
   * @param held the item as the caller read it
   * @throws ItemNotFoundException if the item no longer exists
   * @throws RetriesExhaustedException if every attempt the retry policy allows lost a conflict
   * @throws ConditionNotMetException if a condition the function added is false
   * @throws InvalidItemException if the changes break an input rule; nothing is written
   * @throws UnknownRegionException if the item's home region is not configured
   * @throws HomeRegionUnavailableException if the home region is unreachable and the failover
   *     policy is {@code FAIL}
   */
  public UpdateResult update(VersionedItem held, UpdateFunction function) {
    Objects.requireNonNull(held, "held");
    Objects.requireNonNull(function, "function");
    ItemKey key = schema.keyOf(held.attributes());
    Attempts attempts = new Attempts(key, WriteOperation.UPDATE, retry.context());
    Route route = router.to(router.homeOf(key, held.attributes()));
    return updateLoop(key, attempts, route, checkAdoptable(held, key), function);
  }

  /**
   * Single-shot update in the item's home region: one conditional {@code UpdateItem} with the given
   * changes, no retry.
   *
   * @return the stored item
   * @throws VersionConflictException if the item is at another version or write token (or its home
   *     has moved)
   * @throws ItemNotFoundException if the item does not exist
   * @throws ConditionNotMetException if the changes' own condition is false
   * @throws InvalidItemException if the changes break an input rule; nothing is written
   * @throws UnknownRegionException if the item's home region is not configured
   * @throws HomeRegionUnavailableException if the home region is unreachable and the failover
   *     policy is {@code FAIL}
   */
  public VersionedItem update(ItemKey key, ExpectedVersion expected, Changes changes) {
    schema.validate(key);
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(changes, "changes");
    Changes checked = checkChanges(key, null, changes);
    String token = writeTokens.get();
    Route[] route = {routeByKey(key)};
    return withReplicatedConflictRetry(
        key,
        WriteOperation.UPDATE,
        expected.version(),
        route,
        attempt -> {
          Outcome outcome = sendUpdate(key, route[0], null, expected, checked, token, attempt);
          if (outcome.stored != null) {
            return outcome.stored;
          }
          throw new VersionConflictException(
              schema.tableName(), key, route[0].region(), expected, outcome.current, outcome.cause);
        });
  }

  /**
   * Deletes the item in its home region if it is still at the expected version and write token.
   *
   * @throws VersionConflictException if the item is at another version or write token
   * @throws ItemNotFoundException if the item does not exist
   * @throws UnknownRegionException if the item's home region is not configured
   * @throws HomeRegionUnavailableException if the home region is unreachable and the failover
   *     policy is {@code FAIL}
   */
  public void delete(ItemKey key, ExpectedVersion expected) {
    schema.validate(key);
    Objects.requireNonNull(expected, "expected");
    Route[] route = {routeByKey(key)};
    withReplicatedConflictRetry(
        key,
        WriteOperation.DELETE,
        expected.version(),
        route,
        attempt -> {
          Map<String, String> names = new LinkedHashMap<>();
          Map<String, AttributeValue> values = new LinkedHashMap<>();
          String condition =
              VersionExpressions.versionCondition(
                      expected,
                      schema.partitionKey(),
                      versionAttribute,
                      tokenAttribute,
                      names,
                      values)
                  + homeCondition(route[0], names, values);
          try {
            if (ledger == null) {
              route[0]
                  .client()
                  .deleteItem(
                      DeleteItemRequest.builder()
                          .tableName(schema.tableName())
                          .key(key.asMap())
                          .conditionExpression(condition)
                          .expressionAttributeNames(names)
                          .expressionAttributeValues(values)
                          .returnValuesOnConditionCheckFailure(
                              ReturnValuesOnConditionCheckFailure.ALL_OLD)
                          .build());
            } else {
              // A delete is recorded as the next version of the item, so the reconciler can tell
              // which state it removed.
              transact(
                  route[0],
                  TransactWriteItem.builder()
                      .delete(
                          Delete.builder()
                              .tableName(schema.tableName())
                              .key(key.asMap())
                              .conditionExpression(condition)
                              .expressionAttributeNames(names)
                              .expressionAttributeValues(values)
                              .returnValuesOnConditionCheckFailure(
                                  ReturnValuesOnConditionCheckFailure.ALL_OLD)
                              .build())
                      .build(),
                  key,
                  "DELETE",
                  expected.version() + 1,
                  writeTokens.get(),
                  expected.token(),
                  Changes.none());
            }
          } catch (ConditionalCheckFailedException e) {
            if (!e.hasItem() || e.item().isEmpty()) {
              throw new ItemNotFoundException(schema.tableName(), key, route[0].region(), e);
            }
            VersionedItem current = toVersionedItem(e.item(), key);
            conflict(
                key,
                route[0],
                WriteOperation.DELETE,
                ConflictKind.VERSION_MISMATCH,
                attempt,
                expected,
                current);
            throw new VersionConflictException(
                schema.tableName(), key, route[0].region(), expected, current, e);
          } catch (DynamoDbException e) {
            throw translate(e, key);
          }
          listeners.onWriteSucceeded(
              new WriteSucceeded(
                  schema.tableName(),
                  key,
                  route[0].region(),
                  WriteOperation.DELETE,
                  0,
                  null,
                  attempt));
          return null;
        });
  }

  /**
   * The home region of an item as held: where its writes go.
   *
   * @throws UnknownRegionException if it names no configured region
   */
  public String homeRegionOf(VersionedItem item) {
    return router.homeOf(schema.keyOf(item.attributes()), item.attributes());
  }

  /**
   * The home region of the item with this key (with the attribute strategy, as the local replica
   * names it).
   *
   * @throws ItemNotFoundException if the attribute strategy needs the item and it is not in the
   *     local replica
   * @throws UnknownRegionException if it names no configured region
   */
  public String homeRegionOf(ItemKey key) {
    schema.validate(key);
    return routeByKey(key).region();
  }

  /**
   * Every item of the local replica, eventually consistent, fetched page by page as the stream is
   * consumed: the usual input of a {@link HomeRegionBatch}.
   *
   * <pre>{@code
   * try (Stream<VersionedItem> items = subscribers.scanLocal()) {
   *   items.filter(i -> i.get("status").s().equals("ACTIVE")).forEach(...);
   * }
   * }</pre>
   */
  public Stream<VersionedItem> scanLocal() {
    return router
        .local()
        .scanPaginator(ScanRequest.builder().tableName(schema.tableName()).build())
        .items()
        .stream()
        .map(item -> toVersionedItem(item, schema.keyOf(item)));
  }

  /**
   * Moves an item's home to another region (attribute strategy only): a versioned update in the
   * current home that rewrites the home attribute. Writes that reach the former home afterwards are
   * refused there and follow the item; the new home accepts writes only once its replica shows the
   * move, so no write can slip in between the two regions.
   *
   * <pre>{@code
   * subscribers.moveHome(ItemKey.of("pk", "sub#4711"), "us-east-1");
   * }</pre>
   *
   * @throws IllegalStateException if the table does not use {@link HomeRegion#attribute(String)}
   * @throws UnknownRegionException if {@code newHome} is not configured
   */
  public UpdateResult moveHome(ItemKey key, String newHome) {
    String attribute = router.homeAttribute();
    if (attribute == null) {
      throw new IllegalStateException(
          "moveHome needs HomeRegion.attribute(...); this table's home is a function of the key");
    }
    router.check(key, newHome);
    return update(key, item -> Changes.builder().set(attribute, newHome).build());
  }

  /** Counts the attempts of one update and holds its retry context. */
  private final class Attempts {
    final ItemKey key;
    final WriteOperation operation;
    final Retry.Context<Object> context;
    Route route;

    /** The version of the replica that last sent us elsewhere: a target behind it lags. */
    long pointerVersion = -1;

    final List<LostWrite> lost = new ArrayList<>();

    int count;

    Attempts(ItemKey key, WriteOperation operation, Retry.Context<Object> context) {
      this.key = key;
      this.operation = operation;
      this.context = context;
    }

    /** Sleeps before the next attempt, or gives up with a typed exception. */
    void awaitRetry(long lastSeenVersion, Throwable cause) {
      String region = route.region();
      try {
        context.onRuntimeError(new ConflictSignal(key, region, cause));
      } catch (ConflictSignal exhausted) {
        listeners.onRetriesExhausted(
            new RetriesExhausted(schema.tableName(), key, region, count, lastSeenVersion));
        throw new RetriesExhaustedException(
            schema.tableName(), key, region, count, lastSeenVersion, cause);
      }
    }
  }

  private UpdateResult updateLoop(
      ItemKey key, Attempts attempts, Route route, VersionedItem held, UpdateFunction function) {
    attempts.route = route;
    VersionedItem current = held;
    while (true) {
      if (current == null) {
        current = readHome(key, attempts);
      }
      Changes changes = checkChanges(key, current, function.apply(current));
      checkNewHome(key, changes);
      if (changes.isEmpty()) {
        return new UpdateResult(current, attempts.count, attempts.lost);
      }
      attempts.count++;
      String token = writeTokens.get();
      Outcome outcome;
      try {
        outcome =
            sendUpdate(
                key, attempts.route, current, current.expected(), changes, token, attempts.count);
      } catch (ReplicatedWriteConflictException e) {
        conflict(
            key,
            attempts.route,
            WriteOperation.UPDATE,
            ConflictKind.REPLICATED_WRITE_CONFLICT,
            attempts.count,
            current.expected(),
            null);
        // MRSC refuses without returning the item, so this retry has to read it again.
        attempts.awaitRetry(current.version(), e);
        current = null;
        continue;
      } catch (RuntimeException e) {
        if (!Router.unreachable(e)) {
          throw e;
        }
        attempts.route = router.failover(attempts.route, key, WriteOperation.UPDATE, e);
        current = null;
        continue;
      }
      if (outcome.stored != null) {
        attempts.context.onComplete();
        return new UpdateResult(outcome.stored, attempts.count, attempts.lost);
      }
      if (outcome.movedTo != null) {
        // The item's home moved away from the region we wrote to: follow it.
        attempts.awaitRetry(outcome.current.version(), outcome.cause);
        reroute(key, attempts, outcome.movedTo, outcome.current.version());
        current = null;
        continue;
      }
      checkOverwritten(key, attempts, current, outcome.current);
      current = checkAdoptable(outcome.current, key);
      attempts.awaitRetry(current.version(), outcome.cause);
    }
  }

  /**
   * A state this library wrote and acknowledged in a region, found replaced there by a state of the
   * same version with another token (or of a lower version), was overwritten by replication:
   * last-writer-wins replaced it in that replica. (Final with two regions; with three, a region
   * that built on it first may still win: the ledger has the last word.)
   */
  private void checkOverwritten(
      ItemKey key, Attempts attempts, VersionedItem expected, VersionedItem found) {
    if (expected.writeToken().isEmpty()
        || !expected.writtenIn().map(attempts.route.region()::equals).orElse(false)) {
      return;
    }
    boolean sameVersionOtherToken =
        found.version() == expected.version() && !found.writeToken().equals(expected.writeToken());
    if (!sameVersionOtherToken && found.version() >= expected.version()) {
      return;
    }
    LostWrite lost =
        new LostWrite(
            schema.tableName(),
            key,
            attempts.route.region(),
            expected.version(),
            expected.writeToken().get(),
            found.version(),
            found.writeToken().orElse(null),
            expected.attributes(),
            // Exactly what the lost write changed, when this process made it; otherwise what
            // differs between the two states.
            expected
                .writtenChanges()
                .orElseGet(() -> managed.changesBetween(found.attributes(), expected.attributes())),
            LostWrite.Source.NEXT_WRITE);
    attempts.lost.add(lost);
    listeners.onLostWrite(lost);
  }

  private void reroute(ItemKey key, Attempts attempts, String movedTo, long pointerVersion) {
    router.check(key, movedTo);
    listeners.onRerouted(
        new WriteRerouted(schema.tableName(), key, attempts.route.region(), movedTo));
    attempts.pointerVersion = pointerVersion;
    attempts.route = router.to(movedTo);
  }

  /**
   * Reads the item strongly consistent where {@code attempts} routes; with the attribute strategy,
   * follows the home attribute until a region's replica names itself. A replica at a lower version
   * than the one that sent us to it has not seen the move yet: wait and read it again. (Versions
   * only grow along an item's history, and a move is a versioned write.)
   */
  private VersionedItem readHome(ItemKey key, Attempts attempts) {
    while (true) {
      Optional<VersionedItem> found;
      try {
        found = read(attempts.route.region(), attempts.route.client(), key, true);
      } catch (RuntimeException e) {
        if (!Router.unreachable(e)) {
          throw e;
        }
        attempts.route = router.failover(attempts.route, key, attempts.operation, e);
        continue;
      }
      VersionedItem item =
          found.orElseThrow(
              () ->
                  new ItemNotFoundException(
                      schema.tableName(), key, attempts.route.region(), null));
      if (!attempts.route.checkHome()) {
        return checkAdoptable(item, key);
      }
      String home = router.homeOf(key, item.attributes());
      if (home.equals(attempts.route.region())) {
        return checkAdoptable(item, key);
      }
      if (item.version() <= attempts.pointerVersion) {
        attempts.awaitRetry(item.version(), null);
      } else {
        reroute(key, attempts, home, item.version());
      }
    }
  }

  /** Refuses a change of the home attribute to a region that is not configured. */
  private void checkNewHome(ItemKey key, Changes changes) {
    String attribute = router.homeAttribute();
    if (attribute == null) {
      return;
    }
    if (changes.remove().contains(attribute)) {
      router.check(key, null);
    }
    AttributeValue newHome = changes.set().get(attribute);
    if (newHome != null) {
      router.check(key, newHome.s());
    }
  }

  /** The route of a write that has only the key: by key, or by the local replica's copy. */
  private Route routeByKey(ItemKey key) {
    if (!router.needsItem()) {
      return router.to(router.homeOf(key, null));
    }
    VersionedItem local =
        read(router.localRegion(), router.local(), key, false)
            .orElseThrow(
                () ->
                    new ItemNotFoundException(schema.tableName(), key, router.localRegion(), null));
    return router.to(router.homeOf(key, local.attributes()));
  }

  /**
   * {@code AND #gt_h = :gt_h} when the write must find the item's home attribute naming its region.
   */
  private String homeCondition(
      Route route, Map<String, String> names, Map<String, AttributeValue> values) {
    if (!route.checkHome()) {
      return "";
    }
    names.put("#gt_h", router.homeAttribute());
    values.put(":gt_h", AttributeValue.fromS(route.region()));
    return " AND #gt_h = :gt_h";
  }

  /**
   * The result of one conditional UpdateItem: the stored item, or the item that won (and, when the
   * refusal was because the item's home moved, where to).
   */
  private record Outcome(
      VersionedItem stored, VersionedItem current, String movedTo, Throwable cause) {}

  private Outcome sendUpdate(
      ItemKey key,
      Route route,
      VersionedItem base,
      ExpectedVersion expected,
      Changes changes,
      String token,
      int attempt) {
    VersionExpressions.Update update =
        VersionExpressions.update(
            changes,
            expected,
            token,
            schema.partitionKey(),
            versionAttribute,
            tokenAttribute,
            parentAttribute);
    Map<String, String> names = new LinkedHashMap<>(update.names());
    Map<String, AttributeValue> values = new LinkedHashMap<>(update.values());
    String condition = update.conditionExpression() + homeCondition(route, names, values);
    Map<String, AttributeValue> storedAttributes;
    try {
      if (ledger == null) {
        storedAttributes =
            route
                .client()
                .updateItem(
                    UpdateItemRequest.builder()
                        .tableName(schema.tableName())
                        .key(key.asMap())
                        .updateExpression(update.updateExpression())
                        .conditionExpression(condition)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.ALL_NEW)
                        .returnValuesOnConditionCheckFailure(
                            ReturnValuesOnConditionCheckFailure.ALL_OLD)
                        .build())
                .attributes();
      } else {
        transact(
            route,
            TransactWriteItem.builder()
                .update(
                    Update.builder()
                        .tableName(schema.tableName())
                        .key(key.asMap())
                        .updateExpression(update.updateExpression())
                        .conditionExpression(condition)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .returnValuesOnConditionCheckFailure(
                            ReturnValuesOnConditionCheckFailure.ALL_OLD)
                        .build())
                .build(),
            key,
            "UPDATE",
            expected.version() + 1,
            token,
            expected.token(),
            changes);
        storedAttributes =
            base != null
                ? applied(base, changes, expected.version() + 1, token)
                : read(route.region(), route.client(), key, true)
                    .map(VersionedItem::attributes)
                    .orElseThrow(
                        () ->
                            new ItemNotFoundException(
                                schema.tableName(), key, route.region(), null));
      }
    } catch (ConditionalCheckFailedException e) {
      if (!e.hasItem() || e.item().isEmpty()) {
        throw new ItemNotFoundException(schema.tableName(), key, route.region(), e);
      }
      VersionedItem current = toVersionedItem(e.item(), key);
      if (current.writeToken().map(token::equals).orElse(false)) {
        // Our own write: the SDK retried it after losing the response, and the retry was refused.
        succeeded(key, route, current, attempt);
        return new Outcome(current.acknowledgedIn(route.region(), changes), null, null, null);
      }
      if (route.checkHome()) {
        String home = router.homeAttribute();
        AttributeValue found = current.get(home);
        String foundHome = found == null ? null : found.s();
        if (!route.region().equals(foundHome)) {
          return new Outcome(null, current, foundHome == null ? route.region() : foundHome, e);
        }
      }
      if (current.expected().equals(expected)) {
        throw new ConditionNotMetException(schema.tableName(), key, route.region(), current, e);
      }
      conflict(
          key,
          route,
          WriteOperation.UPDATE,
          ConflictKind.VERSION_MISMATCH,
          attempt,
          expected,
          current);
      return new Outcome(null, current, null, e);
    } catch (ReplicatedWriteConflictException e) {
      throw e;
    } catch (DynamoDbException e) {
      throw translate(e, key);
    }
    VersionedItem stored =
        toVersionedItem(storedAttributes, key).acknowledgedIn(route.region(), changes);
    succeeded(key, route, stored, attempt);
    return new Outcome(stored, null, null, null);
  }

  /**
   * Sends a write together with its ledger entry in one transaction. A refused condition on the
   * write surfaces as the {@link ConditionalCheckFailedException} (with the current item) the plain
   * write would have thrown, so both paths share their handling; a transaction conflict is retried
   * like a multi-region conflict, with a fresh read.
   */
  private void transact(
      Route route,
      TransactWriteItem write,
      ItemKey key,
      String operation,
      long version,
      String token,
      String parentToken,
      Changes changes) {
    Map<String, AttributeValue> entry =
        LedgerEntries.entry(
            ledger,
            UlidCreator.getMonotonicUlid().toString(),
            schema.tableName(),
            key,
            operation,
            version,
            token,
            parentToken,
            route.region(),
            changes,
            route.failover());
    try {
      route
          .client()
          .transactWriteItems(
              TransactWriteItemsRequest.builder()
                  .transactItems(
                      write,
                      TransactWriteItem.builder()
                          .put(
                              Put.builder()
                                  .tableName(ledger.tableName())
                                  .item(entry)
                                  .conditionExpression("attribute_not_exists(#gt_sk)")
                                  .expressionAttributeNames(Map.of("#gt_sk", ledger.sortKey()))
                                  .build())
                          .build())
                  .build());
    } catch (TransactionCanceledException e) {
      List<CancellationReason> reasons =
          e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
      CancellationReason onWrite = reasons.isEmpty() ? null : reasons.get(0);
      if (onWrite != null && "ConditionalCheckFailed".equals(onWrite.code())) {
        throw ConditionalCheckFailedException.builder()
            .message(onWrite.message())
            .item(onWrite.hasItem() ? onWrite.item() : null)
            .cause(e)
            .build();
      }
      if (reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()))) {
        throw ReplicatedWriteConflictException.builder()
            .message("transaction conflict on " + key)
            .cause(e)
            .build();
      }
      throw e;
    }
  }

  /**
   * The item after {@code changes} were applied to {@code base} at {@code version}, {@code token}.
   */
  private Map<String, AttributeValue> applied(
      VersionedItem base, Changes changes, long version, String token) {
    Map<String, AttributeValue> item = new LinkedHashMap<>(base.attributes());
    item.putAll(changes.set());
    changes.remove().forEach(item::remove);
    item.put(versionAttribute, AttributeValue.fromN(Long.toString(version)));
    item.put(tokenAttribute, AttributeValue.fromS(token));
    if (base.writeToken().isPresent()) {
      item.put(parentAttribute, AttributeValue.fromS(base.writeToken().get()));
    } else {
      item.remove(parentAttribute);
    }
    return item;
  }

  private void succeeded(ItemKey key, Route route, VersionedItem stored, int attempt) {
    listeners.onWriteSucceeded(
        new WriteSucceeded(
            schema.tableName(),
            key,
            route.region(),
            WriteOperation.UPDATE,
            stored.version(),
            stored.writeToken().orElse(null),
            attempt));
  }

  private void conflict(
      ItemKey key,
      Route route,
      WriteOperation operation,
      ConflictKind kind,
      int attempt,
      ExpectedVersion expected,
      VersionedItem current) {
    listeners.onConflict(
        new WriteConflict(
            schema.tableName(),
            key,
            route.region(),
            operation,
            kind,
            attempt,
            expected.version(),
            current == null ? -1 : current.version()));
  }

  /** One attempt of a single-shot write; MRSC conflicts are retried, everything else is final. */
  @FunctionalInterface
  private interface Attempt<T> {
    T run(int attempt);
  }

  /**
   * Runs a single-shot write on {@code route[0]}: retried after MRSC conflicts, moved to the local
   * region (updating {@code route[0]}) when the home is unreachable and the policy allows it.
   */
  private <T> T withReplicatedConflictRetry(
      ItemKey key,
      WriteOperation operation,
      long expectedVersion,
      Route[] route,
      Attempt<T> attempt) {
    Retry.Context<Object> context = retry.context();
    for (int n = 1; ; n++) {
      try {
        T result = attempt.run(n);
        context.onComplete();
        return result;
      } catch (ReplicatedWriteConflictException e) {
        listeners.onConflict(
            new WriteConflict(
                schema.tableName(),
                key,
                route[0].region(),
                operation,
                ConflictKind.REPLICATED_WRITE_CONFLICT,
                n,
                expectedVersion,
                -1));
        try {
          context.onRuntimeError(new ConflictSignal(key, route[0].region(), e));
        } catch (ConflictSignal exhausted) {
          listeners.onRetriesExhausted(
              new RetriesExhausted(schema.tableName(), key, route[0].region(), n, expectedVersion));
          throw new RetriesExhaustedException(
              schema.tableName(), key, route[0].region(), n, expectedVersion, e);
        }
      } catch (RuntimeException e) {
        if (!Router.unreachable(e)) {
          throw e;
        }
        route[0] = router.failover(route[0], key, operation, e);
      }
    }
  }

  private VersionedItem checkAdoptable(VersionedItem item, ItemKey key) {
    if (item.isLegacy() && !adoptLegacyItems) {
      throw schema.invalid(
          Reason.VERSION_MISSING,
          "item "
              + key
              + " has no '"
              + versionAttribute
              + "' attribute and legacy items are not adopted",
          key);
    }
    return item;
  }

  /**
   * Applies the input rules to changes. Setting a key, version or token attribute to the value it
   * already has is harmless and dropped (a function that copies the whole item does that); changing
   * or removing one is refused.
   */
  private Changes checkChanges(ItemKey key, VersionedItem current, Changes changes) {
    if (changes == null) {
      throw new NullPointerException("the update function returned null; return Changes.none()");
    }
    Changes.Builder kept = Changes.builder();
    changes.condition().ifPresent(c -> kept.condition(c.expression(), c.names(), c.values()));
    VersionExpressions.checkPlaceholders(changes, schema, key);
    Map<String, AttributeValue> after =
        current == null
            ? new LinkedHashMap<>(key.asMap())
            : new LinkedHashMap<>(current.attributes());
    changes
        .set()
        .forEach(
            (name, value) -> {
              schema.checkNotReserved(name, key);
              if (schema.isKeyAttribute(name)) {
                if (!value.equals(key.get(name))) {
                  throw schema.invalid(
                      Reason.KEY_CHANGED,
                      "changes set key attribute '" + name + "'; an item's key never changes",
                      key);
                }
              } else if (isManaged(name)) {
                if (current == null || !value.equals(current.get(name))) {
                  throw schema.invalid(
                      Reason.VERSION_CHANGED,
                      "changes set '" + name + "', which the library manages",
                      key);
                }
              } else {
                kept.set(name, value);
                after.put(name, value);
              }
            });
    for (String name : changes.remove()) {
      schema.checkNotReserved(name, key);
      if (schema.isKeyAttribute(name)) {
        throw schema.invalid(
            Reason.KEY_CHANGED, "changes remove key attribute '" + name + "'", key);
      }
      if (isManaged(name)) {
        throw schema.invalid(
            Reason.VERSION_CHANGED,
            "changes remove '" + name + "', which the library manages",
            key);
      }
      kept.remove(name);
      after.remove(name);
    }
    after.put(versionAttribute, AttributeValue.fromN(Long.toString(Long.MAX_VALUE)));
    after.put(tokenAttribute, TOKEN_SIZE_PLACEHOLDER);
    after.put(parentAttribute, TOKEN_SIZE_PLACEHOLDER);
    schema.checkSize(after, key);
    return kept.build();
  }

  private boolean isManaged(String name) {
    return managed.contains(name);
  }

  private VersionedItem toVersionedItem(Map<String, AttributeValue> item, ItemKey key) {
    AttributeValue version = item.get(versionAttribute);
    AttributeValue token = item.get(tokenAttribute);
    if (token != null && token.s() == null) {
      throw schema.invalid(
          Reason.VERSION_TYPE,
          "stored write token '"
              + tokenAttribute
              + "' of "
              + key
              + " is not a string: "
              + token.type(),
          key);
    }
    String tokenValue = token == null ? null : token.s();
    if (version == null) {
      return new VersionedItem(item, 0, tokenValue, true);
    }
    try {
      if (version.n() == null) {
        throw new NumberFormatException(String.valueOf(version.type()));
      }
      long v = Long.parseLong(version.n());
      if (v < 0) {
        throw new NumberFormatException("negative");
      }
      return new VersionedItem(item, v, tokenValue, false);
    } catch (NumberFormatException e) {
      throw schema.invalid(
          Reason.VERSION_TYPE,
          "stored version '"
              + versionAttribute
              + "' of "
              + key
              + " is not a whole number: "
              + version,
          key);
    }
  }

  private RuntimeException translate(DynamoDbException e, ItemKey key) {
    String message =
        String.valueOf(
            e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
    if ("ValidationException"
            .equals(e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode())
        && message.toLowerCase(java.util.Locale.ROOT).contains("size")
        && message.toLowerCase(java.util.Locale.ROOT).contains("exceeded")) {
      return new InvalidItemException(
          Reason.ITEM_TOO_LARGE,
          "item " + key + " is over DynamoDB's 400 KB limit: " + message,
          schema.tableName(),
          key,
          e);
    }
    return e;
  }

  /** Builds a {@link VersionedTable}; each setter validates its argument at once. */
  public static final class Builder {
    private RegionClients regions;
    private HomeRegion homeRegion;
    private FailoverPolicy failoverPolicy = FailoverPolicy.FAIL;
    private WriteLedger ledger;
    private String tableName;
    private String partitionKey;
    private String sortKey;
    private String versionAttribute = "version";
    private String tokenAttribute = "write_token";
    private String parentAttribute = "parent_token";
    private boolean adoptLegacyItems = true;
    private ConflictRetryPolicy retryPolicy = ConflictRetryPolicy.ofDefaults();
    private final List<WriteListener> listeners = new ArrayList<>();

    private Builder() {}

    /** A single region's client: every read and write goes there. This or {@link #clients}. */
    public Builder client(DynamoDbClient client) {
      this.regions = RegionClients.single(Objects.requireNonNull(client, "client"));
      return this;
    }

    /**
     * The clients of every region of the Global Table: plain reads go to the local one, writes and
     * strong reads to each item's {@link #homeRegion home}. This or {@link #client}.
     */
    public Builder clients(RegionClients regions) {
      this.regions = Objects.requireNonNull(regions, "regions");
      return this;
    }

    /**
     * How each item's home region is found. Default: none, every write goes to the local region.
     */
    public Builder homeRegion(HomeRegion homeRegion) {
      this.homeRegion = Objects.requireNonNull(homeRegion, "homeRegion");
      return this;
    }

    /**
     * Appends a ledger entry atomically with every write, for the {@link Reconciler}. Default: no
     * ledger.
     */
    public Builder ledger(WriteLedger ledger) {
      this.ledger = Objects.requireNonNull(ledger, "ledger");
      return this;
    }

    /**
     * What writes do when their home region is unreachable. Default {@link FailoverPolicy#FAIL}.
     */
    public Builder failoverPolicy(FailoverPolicy failoverPolicy) {
      this.failoverPolicy = Objects.requireNonNull(failoverPolicy, "failoverPolicy");
      return this;
    }

    /** The table's name. Required. */
    public Builder tableName(String tableName) {
      this.tableName = Arguments.attributeName(tableName, "tableName");
      return this;
    }

    /** The partition key attribute's name. Required. */
    public Builder partitionKey(String partitionKey) {
      this.partitionKey = Arguments.attributeName(partitionKey, "partitionKey");
      return this;
    }

    /** The sort key attribute's name, for tables that have one. */
    public Builder sortKey(String sortKey) {
      this.sortKey = Arguments.attributeName(sortKey, "sortKey");
      return this;
    }

    /** The attribute holding the version, a number. Default {@code version}. */
    public Builder versionAttribute(String versionAttribute) {
      this.versionAttribute = Arguments.attributeName(versionAttribute, "versionAttribute");
      return this;
    }

    /** The attribute holding the write token, a string. Default {@code write_token}. */
    public Builder tokenAttribute(String tokenAttribute) {
      this.tokenAttribute = Arguments.attributeName(tokenAttribute, "tokenAttribute");
      return this;
    }

    /**
     * The attribute holding the token of the state a write was built on (absent after a create), so
     * the surviving history can be followed from items and streams. Default {@code parent_token}.
     */
    public Builder parentTokenAttribute(String parentAttribute) {
      this.parentAttribute = Arguments.attributeName(parentAttribute, "parentTokenAttribute");
      return this;
    }

    /**
     * Whether items without a version attribute are updated as version 0 (default {@code true}) or
     * refused with {@link InvalidItemException.Reason#VERSION_MISSING}.
     */
    public Builder adoptLegacyItems(boolean adoptLegacyItems) {
      this.adoptLegacyItems = adoptLegacyItems;
      return this;
    }

    /** How updates retry after a conflict. Default {@link ConflictRetryPolicy#ofDefaults()}. */
    public Builder retryPolicy(ConflictRetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /** Adds a listener; listeners hear events in the order they were added. */
    public Builder listener(WriteListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * @throws IllegalStateException if a required setting is missing, or two roles share one
     *     attribute name
     */
    public VersionedTable build() {
      if (regions == null || tableName == null || partitionKey == null) {
        throw new IllegalStateException(
            "client (or clients), tableName and partitionKey are required");
      }
      List<String> roles =
          new ArrayList<>(List.of(partitionKey, versionAttribute, tokenAttribute, parentAttribute));
      if (sortKey != null) {
        roles.add(sortKey);
      }
      if (homeRegion != null) {
        homeRegion.attributeName().ifPresent(roles::add);
      }
      if (roles.stream().distinct().count() != roles.size()) {
        throw new IllegalStateException(
            "key, version, token and home attributes must all differ, were " + roles);
      }
      return new VersionedTable(this);
    }
  }
}
