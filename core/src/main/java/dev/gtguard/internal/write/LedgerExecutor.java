package dev.gtguard.internal.write;

import dev.gtguard.exception.InvalidItemException.Reason;
import dev.gtguard.internal.InputRules;
import dev.gtguard.internal.ItemSizes;
import dev.gtguard.internal.ledger.LedgerEntries;
import dev.gtguard.ledger.WriteLedger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * Sends each write together with its ledger entry in one {@code TransactWriteItems}, so the entry
 * exists if and only if the write was committed: the ledger can then prove a lost response's
 * outcome with one strongly consistent read of the entry.
 *
 * <p>A cancelled transaction is unwrapped: a refused condition on the write surfaces as the {@link
 * ConditionalCheckFailedException} (with the current item) the plain write would have thrown;
 * throttling as {@link ProvisionedThroughputExceededException}; a conflict with another transaction
 * as {@link TransactionConflictException}, retried like a multi-region conflict. The cancelled
 * transaction stays the cause, so the SDK's attempt count is kept.
 */
public final class LedgerExecutor implements WriteExecutor {
  private final WriteLedger ledger;
  private final InputRules rules;

  private final Transport transport;

  public LedgerExecutor(WriteLedger ledger, InputRules rules, Transport transport) {
    this.ledger = ledger;
    this.rules = rules;
    this.transport = transport;
  }

  @Override
  public void check(VersionedWrite write) {
    long size = ItemSizes.of(entry(write, "failover-region-placeholder", true));
    if (size > ItemSizes.MAX_ITEM_BYTES) {
      throw rules.invalid(
          Reason.LEDGER_ENTRY_TOO_LARGE,
          "the write ledger entry of "
              + write.key()
              + " would be "
              + size
              + " bytes, over DynamoDB's 400 KB limit, because it records every attribute the"
              + " write sets",
          write.key());
    }
  }

  @Override
  public CompletableFuture<Map<String, AttributeValue>> send(Route route, VersionedWrite write) {
    TransactWriteItem entry =
        TransactWriteItem.builder()
            .put(
                Put.builder()
                    .tableName(ledger.tableName())
                    .item(entry(write, route.region(), route.failover()))
                    .conditionExpression("attribute_not_exists(#gt_sk)")
                    .expressionAttributeNames(Map.of("#gt_sk", ledger.sortKey()))
                    .build())
            .build();
    return transport
        .transactWriteItems(
            route.region(),
            TransactWriteItemsRequest.builder().transactItems(write.transactItem(), entry).build())
        .handle(
            (response, error) -> {
              if (error == null) {
                return null;
              }
              Throwable cause = Futures.unwrap(error);
              throw cause instanceof TransactionCanceledException e
                  ? unwrap(e)
                  : Futures.rethrown(cause);
            });
  }

  /**
   * Reads the attempts' ledger entries one after another, strongly consistent; {@code null} (cannot
   * tell) if a read fails.
   */
  @Override
  public CompletableFuture<List<VersionedWrite>> committed(
      Route route, List<VersionedWrite> attempts) {
    return committed(route, attempts, 0);
  }

  private CompletableFuture<List<VersionedWrite>> committed(
      Route route, List<VersionedWrite> attempts, int next) {
    if (next == attempts.size()) {
      return CompletableFuture.completedFuture(List.of());
    }
    VersionedWrite attempt = attempts.get(next);
    return transport
        .getItem(
            route.region(),
            GetItemRequest.builder()
                .tableName(ledger.tableName())
                .key(
                    LedgerEntries.key(
                        ledger, attempt.tableName(), attempt.key(), attempt.ledgerSortKey()))
                .consistentRead(true)
                .build())
        .handle(
            (response, error) -> {
              if (error != null) {
                return CompletableFuture.<List<VersionedWrite>>completedFuture(null);
              }
              return response.hasItem()
                  ? CompletableFuture.completedFuture(List.of(attempt))
                  : committed(route, attempts, next + 1);
            })
        .thenCompose(f -> f);
  }

  @Override
  public boolean proves() {
    return true;
  }

  private Map<String, AttributeValue> entry(VersionedWrite write, String region, boolean failover) {
    return LedgerEntries.entry(
        ledger,
        write.ledgerSortKey(),
        write.tableName(),
        write.key(),
        write.operation().name(),
        write.version(),
        write.token(),
        write.parentToken(),
        region,
        write.changes(),
        failover,
        write.reapplies());
  }

  private static RuntimeException unwrap(TransactionCanceledException e) {
    List<CancellationReason> reasons =
        e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
    CancellationReason onWrite = reasons.isEmpty() ? null : reasons.get(0);
    if (onWrite != null && "ConditionalCheckFailed".equals(onWrite.code())) {
      return ConditionalCheckFailedException.builder()
          .message(onWrite.message())
          .item(onWrite.hasItem() ? onWrite.item() : null)
          .statusCode(400)
          .cause(e)
          .build();
    }
    for (CancellationReason reason : reasons) {
      if ("TransactionConflict".equals(reason.code())) {
        return TransactionConflictException.builder()
            .message(reason.message())
            .statusCode(400)
            .cause(e)
            .build();
      }
      if ("ThrottlingError".equals(reason.code())
          || "ProvisionedThroughputExceeded".equals(reason.code())) {
        return ProvisionedThroughputExceededException.builder()
            .message(reason.message())
            .statusCode(400)
            .cause(e)
            .build();
      }
    }
    return e; // validation and size refusals: typed by Refusals, which knows which item it was
  }
}
