package dev.gtguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@DynamoDbLocalTest
class EmbeddedDynamoDbTest {

  @Test
  void extension_resolvesServerAndClient_sameSharedServer(
      LocalDynamoDb ddb, DynamoDbClient client) {
    assertThat(ddb.client()).isSameAs(client);
    assertThat(ddb.endpoint().getHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void createTable_uniqueNames_itemsRoundTrip(LocalDynamoDb ddb) {
    String first = ddb.createTable("things", "pk");
    String second = ddb.createTable("things", "pk", "sk");
    assertThat(first).isNotEqualTo(second).startsWith("things-");

    ddb.client()
        .putItem(
            r ->
                r.tableName(first)
                    .item(Map.of("pk", AttributeValue.fromS("a"), "n", AttributeValue.fromN("1"))));
    assertThat(
            ddb.client()
                .getItem(r -> r.tableName(first).key(Map.of("pk", AttributeValue.fromS("a"))))
                .item())
        .containsEntry("n", AttributeValue.fromN("1"));
    assertThat(
            ddb.client()
                .describeTable(r -> r.tableName(second))
                .table()
                .streamSpecification()
                .streamEnabled())
        .isTrue();
  }

  @Test
  void requestCounter_countsCallsPerOperation(LocalDynamoDb ddb) {
    String table = ddb.createTable("counted", "pk");
    RequestCounter counter = new RequestCounter();
    try (DynamoDbClient client = ddb.newClient(Region.US_EAST_1, counter)) {
      client.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("a"))));
      client.getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("a"))));
      client.getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("a"))));
    }
    assertThat(counter.snapshot()).containsEntry("PutItem", 1L).containsEntry("GetItem", 2L);
    assertThat(counter.total()).isEqualTo(3);
  }

  @Test
  void start_twoServers_haveSeparateData() {
    try (EmbeddedDynamoDb a = EmbeddedDynamoDb.start();
        EmbeddedDynamoDb b = EmbeddedDynamoDb.start()) {
      String table = a.createTable("only-in-a", "pk");
      assertThat(a.client().listTables().tableNames()).contains(table);
      assertThat(b.client().listTables().tableNames()).doesNotContain(table);
    }
  }
}
