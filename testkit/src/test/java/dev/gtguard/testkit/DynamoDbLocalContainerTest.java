package dev.gtguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The same round trip on the Docker image; skipped, not failed, where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class DynamoDbLocalContainerTest {

  @Container static final DynamoDbLocalContainer DDB = new DynamoDbLocalContainer();

  @Test
  void createTable_itemRoundTrips() {
    String table = DDB.createTable("things", "pk");
    DDB.client().putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("a"))));
    assertThat(
            DDB.client()
                .getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("a"))))
                .item())
        .containsKey("pk");
  }
}
