package dev.gtguard.enhanced;

import java.util.function.Consumer;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClientExtension;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.CreateTableEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedResponse;
import software.amazon.awssdk.enhanced.dynamodb.model.DescribeTableEnhancedResponse;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedResponse;
import software.amazon.awssdk.enhanced.dynamodb.model.PageIterable;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedResponse;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.ScanEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedResponse;

/**
 * The half of {@link DynamoDbTable} that {@link VersionedEntityTable} passes to the Enhanced
 * Client's own table unchanged (reads, queries, scans, indexes, table management), and the
 * request-builder overloads of the writes, which build the request and call the overload that takes
 * it. Not API: its methods are documented where they are public, on {@link VersionedEntityTable}.
 */
abstract class DelegatingTable<T> implements DynamoDbTable<T> {
  final DynamoDbTable<T> table;

  DelegatingTable(DynamoDbTable<T> table) {
    this.table = table;
  }

  @Override
  public DynamoDbEnhancedClientExtension mapperExtension() {
    return table.mapperExtension();
  }

  @Override
  public TableSchema<T> tableSchema() {
    return table.tableSchema();
  }

  @Override
  public String tableName() {
    return table.tableName();
  }

  @Override
  public Key keyFrom(T item) {
    return table.keyFrom(item);
  }

  /** An index of this table; reads only (indexes cannot be written). */
  @Override
  public DynamoDbIndex<T> index(String indexName) {
    return table.index(indexName);
  }

  @Override
  public void createTable(CreateTableEnhancedRequest request) {
    table.createTable(request);
  }

  @Override
  public void createTable(Consumer<CreateTableEnhancedRequest.Builder> requestConsumer) {
    table.createTable(requestConsumer);
  }

  @Override
  public void createTable() {
    table.createTable();
  }

  @Override
  public void deleteTable() {
    table.deleteTable();
  }

  @Override
  public DescribeTableEnhancedResponse describeTable() {
    return table.describeTable();
  }

  @Override
  public T getItem(GetItemEnhancedRequest request) {
    return table.getItem(request);
  }

  @Override
  public T getItem(Consumer<GetItemEnhancedRequest.Builder> requestConsumer) {
    return table.getItem(requestConsumer);
  }

  @Override
  public T getItem(Key key) {
    return table.getItem(key);
  }

  @Override
  public T getItem(T keyItem) {
    return table.getItem(keyItem);
  }

  @Override
  public GetItemEnhancedResponse<T> getItemWithResponse(GetItemEnhancedRequest request) {
    return table.getItemWithResponse(request);
  }

  @Override
  public GetItemEnhancedResponse<T> getItemWithResponse(
      Consumer<GetItemEnhancedRequest.Builder> requestConsumer) {
    return table.getItemWithResponse(requestConsumer);
  }

  @Override
  public PageIterable<T> query(QueryEnhancedRequest request) {
    return table.query(request);
  }

  @Override
  public PageIterable<T> query(Consumer<QueryEnhancedRequest.Builder> requestConsumer) {
    return table.query(requestConsumer);
  }

  @Override
  public PageIterable<T> query(QueryConditional queryConditional) {
    return table.query(queryConditional);
  }

  @Override
  public PageIterable<T> scan(ScanEnhancedRequest request) {
    return table.scan(request);
  }

  @Override
  public PageIterable<T> scan(Consumer<ScanEnhancedRequest.Builder> requestConsumer) {
    return table.scan(requestConsumer);
  }

  @Override
  public PageIterable<T> scan() {
    return table.scan();
  }

  @Override
  public void putItem(Consumer<PutItemEnhancedRequest.Builder<T>> requestConsumer) {
    putItem(build(PutItemEnhancedRequest.builder(itemClass()), requestConsumer).build());
  }

  @Override
  public PutItemEnhancedResponse<T> putItemWithResponse(
      Consumer<PutItemEnhancedRequest.Builder<T>> requestConsumer) {
    return putItemWithResponse(
        build(PutItemEnhancedRequest.builder(itemClass()), requestConsumer).build());
  }

  @Override
  public T updateItem(Consumer<UpdateItemEnhancedRequest.Builder<T>> requestConsumer) {
    return updateItem(
        build(UpdateItemEnhancedRequest.builder(itemClass()), requestConsumer).build());
  }

  @Override
  public UpdateItemEnhancedResponse<T> updateItemWithResponse(
      Consumer<UpdateItemEnhancedRequest.Builder<T>> requestConsumer) {
    return updateItemWithResponse(
        build(UpdateItemEnhancedRequest.builder(itemClass()), requestConsumer).build());
  }

  @Override
  public T deleteItem(Consumer<DeleteItemEnhancedRequest.Builder> requestConsumer) {
    return deleteItem(build(DeleteItemEnhancedRequest.builder(), requestConsumer).build());
  }

  @Override
  public DeleteItemEnhancedResponse<T> deleteItemWithResponse(
      Consumer<DeleteItemEnhancedRequest.Builder> requestConsumer) {
    return deleteItemWithResponse(
        build(DeleteItemEnhancedRequest.builder(), requestConsumer).build());
  }

  Class<T> itemClass() {
    return table.tableSchema().itemType().rawClass();
  }

  private static <B> B build(B builder, Consumer<B> consumer) {
    consumer.accept(builder);
    return builder;
  }
}
