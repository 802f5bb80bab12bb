package dev.gtguard.enhanced;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A partition + sort key entity with a primitive {@code long} version, and a legacy item. */
@DynamoDbLocalTest
class CompositeKeyEntityTest {
  private static final Key KEY =
      Key.builder().partitionValue("c-42").sortValue("broadband").build();

  private DynamoDbClient client;
  private String tableName;
  private VersionedEntityTable<Subscription> subscriptions;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    client = ddb.newClient(Region.EU_WEST_1);
    tableName = ddb.createTable("subscriptions", "pk", "sk");
    GlobalTablesExtension globalTables = GlobalTablesExtension.builder().client(client).build();
    DynamoDbEnhancedClient enhanced =
        DynamoDbEnhancedClient.builder()
            .dynamoDbClient(client)
            .extensions(globalTables.withSdkDefaults())
            .build();
    subscriptions =
        globalTables.table(enhanced.table(tableName, TableSchema.fromBean(Subscription.class)));
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  @Test
  void createUpdateDelete_withACompositeKeyAndAPrimitiveVersion() {
    Subscription fresh = new Subscription();
    fresh.setCustomerId("c-42");
    fresh.setProduct("broadband");
    fresh.setStatus("ACTIVE");

    Subscription created = subscriptions.create(fresh); // a primitive version 0 counts as new
    Subscription paused =
        subscriptions.update(
            KEY,
            s -> {
              s.setStatus("PAUSED");
              return s;
            });

    assertThat(created.getVersion()).isEqualTo(1);
    assertThat(paused.getVersion()).isEqualTo(2);
    assertThat(subscriptions.get(KEY).orElseThrow().getStatus()).isEqualTo("PAUSED");
    subscriptions.delete(paused);
    assertThat(subscriptions.get(KEY)).isEmpty();
  }

  @Test
  void update_ofAnItemWrittenWithoutTheLibrary_adoptsItAtVersion0() {
    client.putItem(
        r ->
            r.tableName(tableName)
                .item(
                    Map.of(
                        "pk", AttributeValue.fromS("c-42"),
                        "sk", AttributeValue.fromS("broadband"),
                        "status", AttributeValue.fromS("ACTIVE"))));

    Subscription adopted =
        subscriptions.update(
            KEY,
            s -> {
              s.setStatus("PAUSED");
              return s;
            });

    assertThat(adopted.getVersion()).isEqualTo(1);
    assertThat(adopted.getWriteToken()).hasSize(26);
    assertThat(adopted.getStatus()).isEqualTo("PAUSED");
  }
}
