package dev.gtguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/** Tables from the caller's own {@link CreateTableRequest}: any key type, GSIs and LSIs. */
@LocalGlobalTableTest(regions = {"eu-west-1", "us-east-1"})
class LocalGlobalTableCreateTableTest {
  private static final String EU = "eu-west-1";
  private static final String US = "us-east-1";
  private static final Duration QUIET = Duration.ofSeconds(30);
  private static final Projection ALL =
      Projection.builder().projectionType(ProjectionType.ALL).build();

  private static KeySchemaElement hash(String name) {
    return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
  }

  private static KeySchemaElement range(String name) {
    return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
  }

  private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  private static AttributeValue n(String v) {
    return AttributeValue.fromN(v);
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static AttributeValue b(int... bytes) {
    byte[] array = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      array[i] = (byte) bytes[i];
    }
    return AttributeValue.fromB(SdkBytes.fromByteArray(array));
  }

  /** Orders keyed by customer and order number, with a GSI by status and an LSI by date. */
  private static CreateTableRequest orders() {
    return CreateTableRequest.builder()
        .tableName(LocalDynamoDb.uniqueTableName("orders"))
        .keySchema(hash("customer"), range("order"))
        .attributeDefinitions(
            attribute("customer", ScalarAttributeType.N),
            attribute("order", ScalarAttributeType.N),
            attribute("status", ScalarAttributeType.S),
            attribute("placed", ScalarAttributeType.S))
        .globalSecondaryIndexes(
            GlobalSecondaryIndex.builder()
                .indexName("by-status")
                .keySchema(hash("status"), range("placed"))
                .projection(ALL)
                .build())
        .localSecondaryIndexes(
            LocalSecondaryIndex.builder()
                .indexName("by-placed")
                .keySchema(hash("customer"), range("placed"))
                .projection(ALL)
                .build())
        // Replication needs new images: the simulator overrides this.
        .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY))
        .build();
  }

  private static List<Map<String, AttributeValue>> byStatus(
      DynamoDbClient client, String table, String status) {
    return client
        .query(
            r ->
                r.tableName(table)
                    .indexName("by-status")
                    .keyConditionExpression("#s = :s")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":s", s(status))))
        .items();
  }

  private static List<Map<String, AttributeValue>> placedIn(
      DynamoDbClient client, String table, String customer, String month) {
    return client
        .query(
            r ->
                r.tableName(table)
                    .indexName("by-placed")
                    .consistentRead(true)
                    .keyConditionExpression("customer = :c AND begins_with(placed, :m)")
                    .expressionAttributeValues(Map.of(":c", n(customer), ":m", s(month))))
        .items();
  }

  @Test
  void numberKeys_gsiAndLsi_itemQueryableThroughBothIndexesInEveryRegion(LocalGlobalTable global) {
    String table = global.createTable(orders());
    long untrackedBefore = global.stats().untracked();

    global
        .client(EU)
        .putItem(
            r ->
                r.tableName(table)
                    .item(
                        Map.of(
                            "customer", n("42"),
                            "order", n("7.0"), // the stream says 7: the same item
                            "status", s("OPEN"),
                            "placed", s("2024-11-22"),
                            "total", n("19.90"))));
    global.awaitQuiescence(QUIET);

    for (String region : global.regions()) {
      DynamoDbClient client = global.client(region);
      assertThat(byStatus(client, table, "OPEN")).as(region).hasSize(1);
      List<Map<String, AttributeValue>> placed = placedIn(client, table, "42", "2024-11");
      assertThat(placed).as(region).hasSize(1);
      assertThat(new BigDecimal(placed.get(0).get("order").n())).isEqualByComparingTo("7");
    }

    // An update in the other region, by the key in another spelling, replicates back.
    global
        .client(US)
        .updateItem(
            r ->
                r.tableName(table)
                    .key(Map.of("customer", n("42.00"), "order", n("7")))
                    .updateExpression("SET #s = :s, placed = :p")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":s", s("SHIPPED"), ":p", s("2024-12-01"))));
    global.awaitQuiescence(QUIET);

    for (String region : global.regions()) {
      DynamoDbClient client = global.client(region);
      assertThat(byStatus(client, table, "OPEN")).as(region).isEmpty();
      assertThat(byStatus(client, table, "SHIPPED")).as(region).hasSize(1);
      assertThat(placedIn(client, table, "42", "2024-11")).as(region).isEmpty();
      assertThat(placedIn(client, table, "42", "2024-12")).as(region).hasSize(1);
      assertThat(
              client
                  .describeTable(r -> r.tableName(table))
                  .table()
                  .streamSpecification()
                  .streamViewType())
          .isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
    }
    assertThat(global.scan(US, table)).hasSize(1);
    assertThat(global.stats().untracked())
        .as("every write went through the simulator's clients and was matched to its record")
        .isEqualTo(untrackedBefore);
  }

  @Test
  void binaryKeys_withBinaryGsi_replicateWritesAndDeletes(LocalGlobalTable global) {
    String table =
        global.createTable(
            r ->
                r.tableName(LocalDynamoDb.uniqueTableName("blobs"))
                    .keySchema(hash("id"), range("part"))
                    .attributeDefinitions(
                        attribute("id", ScalarAttributeType.B),
                        attribute("part", ScalarAttributeType.B),
                        attribute("owner", ScalarAttributeType.B))
                    .globalSecondaryIndexes(
                        GlobalSecondaryIndex.builder()
                            .indexName("by-owner")
                            .keySchema(hash("owner"))
                            .projection(ALL)
                            .build()));
    long untrackedBefore = global.stats().untracked();
    Map<String, AttributeValue> key = Map.of("id", b(0, 1, 2, 255), "part", b(7));

    global
        .client(US)
        .putItem(
            r ->
                r.tableName(table)
                    .item(
                        Map.of(
                            "id", key.get("id"),
                            "part", key.get("part"),
                            "owner", b(9, 9),
                            "body", s("hello"))));
    global.awaitQuiescence(QUIET);

    for (String region : global.regions()) {
      DynamoDbClient client = global.client(region);
      assertThat(client.getItem(r -> r.tableName(table).key(key).consistentRead(true)).item())
          .as(region)
          .containsEntry("body", s("hello"));
      assertThat(
              client
                  .query(
                      r ->
                          r.tableName(table)
                              .indexName("by-owner")
                              .keyConditionExpression("#o = :o")
                              .expressionAttributeNames(Map.of("#o", "owner"))
                              .expressionAttributeValues(Map.of(":o", b(9, 9))))
                  .items())
          .as(region)
          .hasSize(1);
    }

    global.client(EU).deleteItem(r -> r.tableName(table).key(key));
    global.awaitQuiescence(QUIET);
    for (String region : global.regions()) {
      assertThat(global.scan(region, table)).as(region).isEmpty();
    }
    assertThat(global.stats().untracked()).isEqualTo(untrackedBefore);
  }

  @Test
  void nameTakenInOneRegion_refused_andNotLeftInTheOthers(LocalGlobalTable global) {
    CreateTableRequest request = orders();
    global.server(US).createTable(request); // LocalDynamoDb.createTable(CreateTableRequest)

    assertThatThrownBy(() -> global.createTable(request))
        .isInstanceOf(ResourceInUseException.class);

    assertThat(global.server(EU).client().listTables().tableNames())
        .doesNotContain(request.tableName());
    assertThat(global.server(US).client().listTables().tableNames())
        .as("the table this call did not create stays")
        .contains(request.tableName());
  }
}
