package com.example.subscribers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.RegionClients;
import dev.gtguard.exception.VersionConflictException;
import dev.gtguard.testkit.LocalDynamoDb;
import dev.gtguard.testkit.LocalGlobalTable;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A user's tests on the testkit's local Global Table (one instance for the whole suite): the London
 * replay with {@code @HomeRegion}, stale writes refused, the SDK's own locking kept for other
 * entities on the same client, and an index queried in both regions.
 */
class SubscriberStoreTest {
  private static final Duration QUIET = Duration.ofSeconds(20);

  private static LocalGlobalTable global;
  private static String table;
  private static SubscriberStore london; // the portal, in eu-west-1
  private static SubscriberStore virginia; // the batch job, in us-east-1

  @BeforeAll
  static void startOnce() {
    global = LocalGlobalTable.shared("us-east-1", "eu-west-1");
    table =
        global.createTable(
            r ->
                r.tableName(LocalDynamoDb.uniqueTableName("subscribers"))
                    .keySchema(key("id"))
                    .attributeDefinitions(string("id"), string("email"))
                    .globalSecondaryIndexes(
                        GlobalSecondaryIndex.builder()
                            .indexName("byEmail")
                            .keySchema(key("email"))
                            .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                            .build()));
    london =
        new SubscriberStore(
            RegionClients.builder()
                .local(global.client("eu-west-1"))
                .remote(global.client("us-east-1"))
                .build(),
            table);
    virginia =
        new SubscriberStore(
            RegionClients.builder()
                .local(global.client("us-east-1"))
                .remote(global.client("eu-west-1"))
                .build(),
            table);
  }

  private static Subscriber subscriber(String id) {
    Subscriber subscriber = new Subscriber();
    subscriber.setId(id);
    subscriber.setEmail(id + "@example.com");
    subscriber.setAddress("12 Old Kent Road, London");
    subscriber.setHomeRegion("eu-west-1");
    return subscriber;
  }

  @Test
  void londonReplay_withHomeRegion_losesNothing() {
    london.save(subscriber("sub-4711"));
    global.awaitQuiescence(QUIET);
    Subscriber portal = london.find("sub-4711");
    Subscriber batch = virginia.find("sub-4711");

    portal.setAddress("221B Baker Street, London");
    london.save(portal); // lands in eu-west-1, the home
    batch.setLastContacted("2026-11-23T10:00:00Z");
    // 49 ms later in us-east-1: routed to eu-west-1 too, where it meets the version check.
    assertThatThrownBy(() -> virginia.save(batch)).isInstanceOf(VersionConflictException.class);
    // The batch job is told, re-reads and writes again: nothing is lost.
    global.awaitQuiescence(QUIET);
    Subscriber again = virginia.find("sub-4711");
    again.setLastContacted("2026-11-23T10:00:00Z");
    virginia.save(again);
    global.awaitQuiescence(QUIET);

    for (SubscriberStore region : new SubscriberStore[] {london, virginia}) {
      Subscriber settled = region.find("sub-4711");
      assertThat(settled.getAddress()).isEqualTo("221B Baker Street, London");
      assertThat(settled.getLastContacted()).isEqualTo("2026-11-23T10:00:00Z");
      assertThat(settled.getVersion()).isEqualTo(3L);
    }
  }

  @Test
  void staleDeleteItem_isRefused_andTheItemSurvives() {
    london.save(subscriber("sub-1"));
    Subscriber stale = london.find("sub-1");
    Subscriber fresh = london.find("sub-1");
    fresh.setAddress("1 New Street");
    london.save(fresh);

    assertThatThrownBy(() -> london.remove(stale)).isInstanceOf(VersionConflictException.class);
    assertThat(london.find("sub-1").getAddress()).isEqualTo("1 New Street");
  }

  @Test
  void anSdkVersionedEntityOnTheSameClient_stillRefusesAStalePut() {
    String orders = global.createTable("orders", "id");
    DynamoDbTable<Order> table =
        london.enhancedClient().table(orders, TableSchema.fromBean(Order.class));
    Order order = new Order();
    order.setId("o-1");
    order.setStatus("new");
    table.putItem(order);
    Key key = Key.builder().partitionValue("o-1").build();
    Order first = table.getItem(key);
    Order second = table.getItem(key);
    first.setStatus("paid");
    table.putItem(first);
    second.setStatus("cancelled");

    assertThatThrownBy(() -> table.putItem(second))
        .isInstanceOf(ConditionalCheckFailedException.class);
    assertThat(table.getItem(key).getStatus()).isEqualTo("paid");
  }

  @Test
  void anIndexQuery_worksInBothRegions() {
    london.save(subscriber("sub-gsi"));
    global.awaitQuiescence(QUIET);

    assertThat(london.idsByEmail("sub-gsi@example.com")).containsExactly("sub-gsi");
    assertThat(virginia.idsByEmail("sub-gsi@example.com")).containsExactly("sub-gsi");
  }

  private static KeySchemaElement key(String name) {
    return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
  }

  private static AttributeDefinition string(String name) {
    return AttributeDefinition.builder()
        .attributeName(name)
        .attributeType(ScalarAttributeType.S)
        .build();
  }
}
