package dev.gtguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The local Global Table on one {@code amazon/dynamodb-local} container per region. Skipped, not
 * failed, where no Docker engine runs; the embedded variant carries the coverage there.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalGlobalTableContainerTest {

  @Test
  void lastWriterWins_onContainers() throws Exception {
    try (LocalGlobalTable global =
        LocalGlobalTable.builder()
            .regions("eu-west-1", "us-east-1")
            .lag(Lag.of(Duration.ofMillis(200)))
            .servers(
                () -> {
                  DynamoDbLocalContainer container = new DynamoDbLocalContainer();
                  container.start();
                  return container;
                })
            .start()) {
      String table = global.createTable("subscribers", "pk");
      Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("s1"));
      global
          .client("eu-west-1")
          .putItem(
              r ->
                  r.tableName(table)
                      .item(Map.of("pk", key.get("pk"), "a", AttributeValue.fromS("eu"))));
      Thread.sleep(20);
      global
          .client("us-east-1")
          .putItem(
              r ->
                  r.tableName(table)
                      .item(Map.of("pk", key.get("pk"), "b", AttributeValue.fromS("us"))));
      global.awaitQuiescence(Duration.ofSeconds(30));

      assertThat(global.client("eu-west-1").getItem(r -> r.tableName(table).key(key)).item())
          .containsEntry("b", AttributeValue.fromS("us"))
          .doesNotContainKey("a");
    }
  }
}
