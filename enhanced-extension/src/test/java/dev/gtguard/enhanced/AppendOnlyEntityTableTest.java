package dev.gtguard.enhanced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@DynamoDbLocalTest
class AppendOnlyEntityTableTest {
  private DynamoDbClient client;
  private AppendOnlyEntityTable<CustomerEvent> events;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    client = ddb.newClient(Region.EU_WEST_1);
    GlobalTablesExtension globalTables = GlobalTablesExtension.builder().client(client).build();
    DynamoDbEnhancedClient enhanced =
        DynamoDbEnhancedClient.builder()
            .dynamoDbClient(client)
            .extensions(globalTables.withSdkDefaults())
            .build();
    events =
        globalTables.appendOnlyTable(
            enhanced.table(
                ddb.createTable("events", "pk", "sk"), TableSchema.fromBean(CustomerEvent.class)));
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  @Test
  void append_storesEachEventUnderANewUlidInOrder() {
    CustomerEvent first = events.append(new CustomerEvent("c-42", "ADDRESS_CHANGED"));
    CustomerEvent second = events.append(new CustomerEvent("c-42", "CONTACTED"));

    assertThat(first.getEventId()).hasSize(26);
    assertThat(second.getEventId()).isGreaterThan(first.getEventId());
    List<String> stored =
        events
            .dynamoDbTable()
            .query(QueryConditional.keyEqualTo(Key.builder().partitionValue("c-42").build()))
            .items()
            .stream()
            .map(CustomerEvent::getType)
            .toList();
    assertThat(stored).containsExactly("ADDRESS_CHANGED", "CONTACTED");
  }

  @Test
  void append_withTheSortKeySet_isRefusedAndWritesNothing() {
    CustomerEvent preset = new CustomerEvent("c-42", "ADDRESS_CHANGED");
    preset.setEventId("01JCSEED000000000000000017");

    assertThatThrownBy(() -> events.append(preset))
        .isInstanceOf(InvalidItemException.class)
        .hasMessageContaining("leave the sort key 'sk' out");
    assertThat(events.dynamoDbTable().scan().items()).isEmpty();
  }

  @Test
  void plainPutItem_ofAnAppendOnlyEntity_isRefused() {
    CustomerEvent event = new CustomerEvent("c-42", "ADDRESS_CHANGED");
    event.setEventId("01JCSEED000000000000000017");

    assertThatThrownBy(() -> events.dynamoDbTable().putItem(event))
        .isInstanceOf(UnprotectedWriteException.class)
        .hasMessageContaining("AppendOnlyEntityTable");
    assertThat(events.dynamoDbTable().scan().items()).isEmpty();
  }
}
