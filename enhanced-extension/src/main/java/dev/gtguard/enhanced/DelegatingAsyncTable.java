package dev.gtguard.enhanced;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbAsyncIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbAsyncTable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClientExtension;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.CreateTableEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedResponse;
import software.amazon.awssdk.enhanced.dynamodb.model.DescribeTableEnhancedResponse;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedResponse;
import software.amazon.awssdk.enhanced.dynamodb.model.PagePublisher;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedResponse;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.ScanEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedResponse;

/**
 * The half of {@link DynamoDbAsyncTable} that {@link VersionedEntityAsyncTable} passes to the
 * Enhanced Client's own table unchanged (reads, queries, scans, indexes, table management), and the
 * request-builder overloads of the writes, which build the request and call the overload that takes
 * it (a builder consumer that throws fails the returned future). Not API: its methods are
 * documented where they are public, on {@link VersionedEntityAsyncTable}. The asynchronous twin of
 * {@link DelegatingTable}.
 */
abstract class DelegatingAsyncTable<T> implements DynamoDbAsyncTable<T> {
  final DynamoDbAsyncTable<T> table;

  DelegatingAsyncTable(DynamoDbAsyncTable<T> table) {
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
  public DynamoDbAsyncIndex<T> index(String indexName) {
    return table.index(indexName);
  }

  @Override
  public CompletableFuture<Void> createTable(CreateTableEnhancedRequest request) {
    return table.createTable(request);
  }

  @Override
  public CompletableFuture<Void> createTable(
      Consumer<CreateTableEnhancedRequest.Builder> requestConsumer) {
    return table.createTable(requestConsumer);
  }

  @Override
  public CompletableFuture<Void> createTable() {
    return table.createTable();
  }

  @Override
  public CompletableFuture<Void> deleteTable() {
    return table.deleteTable();
  }

  @Override
  public CompletableFuture<DescribeTableEnhancedResponse> describeTable() {
    return table.describeTable();
  }

  @Override
  public CompletableFuture<T> getItem(GetItemEnhancedRequest request) {
    return table.getItem(request);
  }

  @Override
  public CompletableFuture<T> getItem(Consumer<GetItemEnhancedRequest.Builder> requestConsumer) {
    return table.getItem(requestConsumer);
  }

  @Override
  public CompletableFuture<T> getItem(Key key) {
    return table.getItem(key);
  }

  @Override
  public CompletableFuture<T> getItem(T keyItem) {
    return table.getItem(keyItem);
  }

  @Override
  public CompletableFuture<GetItemEnhancedResponse<T>> getItemWithResponse(
      GetItemEnhancedRequest request) {
    return table.getItemWithResponse(request);
  }

  @Override
  public CompletableFuture<GetItemEnhancedResponse<T>> getItemWithResponse(
      Consumer<GetItemEnhancedRequest.Builder> requestConsumer) {
    return table.getItemWithResponse(requestConsumer);
  }

  @Override
  public PagePublisher<T> query(QueryEnhancedRequest request) {
    return table.query(request);
  }

  @Override
  public PagePublisher<T> query(Consumer<QueryEnhancedRequest.Builder> requestConsumer) {
    return table.query(requestConsumer);
  }

  @Override
  public PagePublisher<T> query(QueryConditional queryConditional) {
    return table.query(queryConditional);
  }

  @Override
  public PagePublisher<T> scan(ScanEnhancedRequest request) {
    return table.scan(request);
  }

  @Override
  public PagePublisher<T> scan(Consumer<ScanEnhancedRequest.Builder> requestConsumer) {
    return table.scan(requestConsumer);
  }

  @Override
  public PagePublisher<T> scan() {
    return table.scan();
  }

  @Override
  public CompletableFuture<Void> putItem(
      Consumer<PutItemEnhancedRequest.Builder<T>> requestConsumer) {
    return built(
        () -> build(PutItemEnhancedRequest.builder(itemClass()), requestConsumer).build(),
        this::putItem);
  }

  @Override
  public CompletableFuture<PutItemEnhancedResponse<T>> putItemWithResponse(
      Consumer<PutItemEnhancedRequest.Builder<T>> requestConsumer) {
    return built(
        () -> build(PutItemEnhancedRequest.builder(itemClass()), requestConsumer).build(),
        this::putItemWithResponse);
  }

  @Override
  public CompletableFuture<T> updateItem(
      Consumer<UpdateItemEnhancedRequest.Builder<T>> requestConsumer) {
    return built(
        () -> build(UpdateItemEnhancedRequest.builder(itemClass()), requestConsumer).build(),
        this::updateItem);
  }

  @Override
  public CompletableFuture<UpdateItemEnhancedResponse<T>> updateItemWithResponse(
      Consumer<UpdateItemEnhancedRequest.Builder<T>> requestConsumer) {
    return built(
        () -> build(UpdateItemEnhancedRequest.builder(itemClass()), requestConsumer).build(),
        this::updateItemWithResponse);
  }

  @Override
  public CompletableFuture<T> deleteItem(
      Consumer<DeleteItemEnhancedRequest.Builder> requestConsumer) {
    return built(
        () -> build(DeleteItemEnhancedRequest.builder(), requestConsumer).build(),
        this::deleteItem);
  }

  @Override
  public CompletableFuture<DeleteItemEnhancedResponse<T>> deleteItemWithResponse(
      Consumer<DeleteItemEnhancedRequest.Builder> requestConsumer) {
    return built(
        () -> build(DeleteItemEnhancedRequest.builder(), requestConsumer).build(),
        this::deleteItemWithResponse);
  }

  Class<T> itemClass() {
    return table.tableSchema().itemType().rawClass();
  }

  private static <B> B build(B builder, Consumer<B> consumer) {
    consumer.accept(builder);
    return builder;
  }

  /** {@code call} of the built request, or a future failed with what building it threw. */
  private static <R, F> CompletableFuture<F> built(
      Supplier<R> request, Function<R, CompletableFuture<F>> call) {
    R built;
    try {
      built = request.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return call.apply(built);
  }
}
