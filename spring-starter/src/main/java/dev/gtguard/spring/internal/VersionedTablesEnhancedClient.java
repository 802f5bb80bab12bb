package dev.gtguard.spring.internal;

import dev.gtguard.enhanced.GlobalTableTags;
import dev.gtguard.spring.GtguardTables;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.enhanced.dynamodb.Document;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchGetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchGetResultPageIterable;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchWriteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchWriteResult;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactGetItemsEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The starter's {@code DynamoDbEnhancedClient} bean: the Enhanced Client of {@link GtguardTables}
 * (the SDK's default extensions and {@code GlobalTablesExtension}), except that {@link #table}
 * returns the shared {@code VersionedEntityTable} for a {@code @Versioned} entity's schema. Code
 * written against the Enhanced Client, spring-cloud-aws's {@code DynamoDbTemplate} included, then
 * saves and deletes those entities at the version they were read at instead of being refused (puts
 * and updates) or deleting a newer version unchecked (deletes). Batches and transactions go to the
 * Enhanced Client as they are, and the extension refuses the versioned entities' writes in them.
 */
public final class VersionedTablesEnhancedClient implements DynamoDbEnhancedClient {
  private final GtguardTables tables;
  private final DynamoDbEnhancedClient delegate;

  public VersionedTablesEnhancedClient(GtguardTables tables) {
    this.tables = tables;
    this.delegate = tables.enhancedClient();
  }

  @Override
  public <T> DynamoDbTable<T> table(String tableName, TableSchema<T> tableSchema) {
    return GlobalTableTags.isVersioned(tableSchema)
        ? tables.table(tableName, tableSchema)
        : delegate.table(tableName, tableSchema);
  }

  @Override
  public BatchGetResultPageIterable batchGetItem(BatchGetItemEnhancedRequest request) {
    return delegate.batchGetItem(request);
  }

  @Override
  public BatchWriteResult batchWriteItem(BatchWriteItemEnhancedRequest request) {
    return delegate.batchWriteItem(request);
  }

  @Override
  public List<Document> transactGetItems(TransactGetItemsEnhancedRequest request) {
    return delegate.transactGetItems(request);
  }

  @Override
  public Void transactWriteItems(TransactWriteItemsEnhancedRequest request) {
    return delegate.transactWriteItems(request);
  }

  @Override
  public TransactWriteItemsEnhancedResponse transactWriteItemsWithResponse(
      TransactWriteItemsEnhancedRequest request) {
    return delegate.transactWriteItemsWithResponse(request);
  }

  @Override
  public BatchGetResultPageIterable batchGetItem(
      Consumer<BatchGetItemEnhancedRequest.Builder> request) {
    return delegate.batchGetItem(request);
  }

  @Override
  public BatchWriteResult batchWriteItem(Consumer<BatchWriteItemEnhancedRequest.Builder> request) {
    return delegate.batchWriteItem(request);
  }

  @Override
  public List<Document> transactGetItems(
      Consumer<TransactGetItemsEnhancedRequest.Builder> request) {
    return delegate.transactGetItems(request);
  }

  @Override
  public Void transactWriteItems(Consumer<TransactWriteItemsEnhancedRequest.Builder> request) {
    return delegate.transactWriteItems(request);
  }

  @Override
  public TransactWriteItemsEnhancedResponse transactWriteItemsWithResponse(
      Consumer<TransactWriteItemsEnhancedRequest.Builder> request) {
    return delegate.transactWriteItemsWithResponse(request);
  }

  @Override
  public DynamoDbClient dynamoDbClient() {
    return delegate.dynamoDbClient();
  }
}
