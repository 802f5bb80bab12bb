package dev.gtguard.internal.ledger;

import dev.gtguard.ledger.WriteLedger;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Finds the items of one table in a ledger, one scan segment at a time, keys only and page by page,
 * so that memory does not grow with the ledger. A scan returns all entries of one partition key
 * together, so each item id is handed on once per run of its entries.
 */
public final class LedgerScan {
  private LedgerScan() {}

  /**
   * Hands every item id of {@code table} in scan segment {@code segment} of {@code total} to {@code
   * sink}.
   */
  public static void itemIds(
      DynamoDbClient client,
      WriteLedger ledger,
      String table,
      int segment,
      int total,
      Consumer<String> sink) {
    String[] last = {null};
    client
        .scanPaginator(
            ScanRequest.builder()
                .tableName(ledger.tableName())
                .segment(segment)
                .totalSegments(total)
                .projectionExpression("#pk")
                .filterExpression("begins_with(#pk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", ledger.partitionKey()))
                .expressionAttributeValues(
                    Map.of(":prefix", AttributeValue.fromS(LedgerEntries.prefix(table))))
                .build())
        .items()
        .forEach(
            entry -> {
              String id = entry.get(ledger.partitionKey()).s();
              if (!id.equals(last[0])) {
                last[0] = id;
                sink.accept(id);
              }
            });
  }
}
