package dev.gtguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The JVM-wide instance, as a Spring test context or several test classes would use it. */
class SharedLocalGlobalTableTest {
  private static final Duration QUIET = Duration.ofSeconds(30);

  // As in the javadoc of LocalGlobalTable.shared; a map stands in for DynamicPropertyRegistry.
  static final LocalGlobalTable GLOBAL = LocalGlobalTable.shared("us-east-1", "eu-west-1");
  static final String TABLE = GLOBAL.createTable("orders", "pk");

  static void dynamoDb(Map<String, Supplier<Object>> registry) {
    registry.put("gtguard.regions[0].endpoint", () -> GLOBAL.endpoint("us-east-1"));
    registry.put("gtguard.regions[1].endpoint", () -> GLOBAL.endpoint("eu-west-1"));
    registry.put("orders.table", () -> TABLE);
  }

  /** A client as an application builds it from its configuration: the endpoint alone. */
  private static DynamoDbClient applicationClient(URI endpoint, Region region) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(region)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        .build();
  }

  private static Map<String, AttributeValue> item(String pk, String value) {
    return Map.of("pk", AttributeValue.fromS(pk), "v", AttributeValue.fromS(value));
  }

  private static Map<String, AttributeValue> get(String region, String pk) {
    return GLOBAL
        .client(region)
        .getItem(
            r ->
                r.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS(pk))).consistentRead(true))
        .item();
  }

  @Test
  void shared_oneInstancePerRegionList_closeLeavesItRunning() {
    LocalGlobalTable again = LocalGlobalTable.shared("us-east-1", "eu-west-1");
    assertThat(again).isSameAs(GLOBAL);

    again.close();
    GLOBAL.client("us-east-1").putItem(r -> r.tableName(TABLE).item(item("after-close", "a")));
    GLOBAL.awaitQuiescence(QUIET);
    assertThat(get("eu-west-1", "after-close")).containsEntry("v", AttributeValue.fromS("a"));
  }

  @Test
  void shared_refusesWhatTheBuilderRefuses() {
    assertThatThrownBy(() -> LocalGlobalTable.shared("us-east-1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LocalGlobalTable.shared("us-east-1", "us-east-1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void endpointOnlyClient_writesReplicate_countedUntracked() {
    Map<String, Supplier<Object>> registry = new LinkedHashMap<>();
    dynamoDb(registry);
    URI endpoint = (URI) registry.get("gtguard.regions[0].endpoint").get();
    assertThat(endpoint).isEqualTo(GLOBAL.server("us-east-1").endpoint());
    long untrackedBefore = GLOBAL.stats().untracked();

    try (DynamoDbClient app = applicationClient(endpoint, Region.US_EAST_1)) {
      app.putItem(r -> r.tableName(TABLE).item(item("plain", "from the app")));
    }
    awaitReplicated("plain");

    assertThat(get("eu-west-1", "plain")).containsEntry("v", AttributeValue.fromS("from the app"));
    assertThat(GLOBAL.stats().untracked()).isGreaterThan(untrackedBefore);
  }

  @Test
  void clientWithTheInterceptor_isStampedLikeTheSimulatorsOwn() {
    long untrackedBefore = GLOBAL.stats().untracked();

    try (DynamoDbClient app =
        DynamoDbClient.builder()
            .endpointOverride(GLOBAL.endpoint("us-east-1"))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
            .overrideConfiguration(c -> c.addExecutionInterceptor(GLOBAL.interceptor("us-east-1")))
            .build()) {
      app.putItem(r -> r.tableName(TABLE).item(item("stamped", "from the app")));
      app.updateItem(
          r ->
              r.tableName(TABLE)
                  .key(Map.of("pk", AttributeValue.fromS("stamped")))
                  .updateExpression("SET w = :w")
                  .expressionAttributeValues(Map.of(":w", AttributeValue.fromN("1.50"))));
    }
    GLOBAL.awaitQuiescence(QUIET);

    assertThat(get("eu-west-1", "stamped"))
        .containsEntry("v", AttributeValue.fromS("from the app"))
        .containsKey("w");
    assertThat(GLOBAL.stats().untracked()).isEqualTo(untrackedBefore);
  }

  @Test
  void interceptorAndEndpoint_ofAnUnknownRegion_refused() {
    assertThatThrownBy(() -> GLOBAL.interceptor("mars-north-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mars-north-1");
    assertThatThrownBy(() -> GLOBAL.endpoint("mars-north-1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void awaitReplicated(String pk) {
    // An untracked write is known to the simulator only once its stream record is read.
    long deadline = System.currentTimeMillis() + QUIET.toMillis();
    while (get("eu-west-1", pk).isEmpty() && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    GLOBAL.awaitQuiescence(QUIET);
  }
}
