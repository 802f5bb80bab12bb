package dev.gtguard.benchmarks;

import dev.gtguard.Changes;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The library's CPU cost per uncontended update, against a client that answers instantly: {@code
 * rawUpdateItem} builds and sends the equivalent UpdateItem by hand, {@code versionedUpdate} goes
 * through {@link VersionedTable#update(VersionedItem, dev.gtguard.UpdateFunction)} (input checks,
 * expression building, token generation, listener events). The difference is the overhead; a real
 * UpdateItem round trip is milliseconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class UpdateOverheadBenchmark {
  private static final Map<String, AttributeValue> ITEM =
      Map.of(
          "pk", AttributeValue.fromS("subscriber#4711"),
          "count", AttributeValue.fromN("41"),
          "delivery_address", AttributeValue.fromS("221B Baker Street, London"),
          "version", AttributeValue.fromN("17"),
          "write_token", AttributeValue.fromS("01JD0000000000000000000000"));

  private DynamoDbClient client;
  private VersionedTable table;
  private VersionedItem held;

  @Setup
  public void setUp() {
    client = new CannedDynamoDbClient(ITEM);
    table =
        VersionedTable.builder().client(client).tableName("subscribers").partitionKey("pk").build();
    held = new VersionedItem(ITEM, 17, "01JD0000000000000000000000", false);
  }

  @Benchmark
  public UpdateItemResponse rawUpdateItem() {
    return client.updateItem(
        UpdateItemRequest.builder()
            .tableName("subscribers")
            .key(Map.of("pk", ITEM.get("pk")))
            .updateExpression("SET #c = :c")
            .expressionAttributeNames(Map.of("#c", "count"))
            .expressionAttributeValues(Map.of(":c", AttributeValue.fromN("42")))
            .build());
  }

  @Benchmark
  public UpdateResult versionedUpdate() {
    return table.update(
        held,
        item -> Changes.builder().set("count", Long.parseLong(item.get("count").n()) + 1).build());
  }
}
