package dev.gtguard.enhanced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.exception.ItemAlreadyExistsException;
import dev.gtguard.exception.ItemNotFoundException;
import dev.gtguard.exception.VersionConflictException;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The protected table as a drop-in {@code DynamoDbTable}: existing {@code putItem} / {@code
 * updateItem} / {@code deleteItem} code, on DynamoDB Local, every outcome read back.
 */
@DynamoDbLocalTest
class DropInTableTest {
  private static final Key KEY = Key.builder().partitionValue("a-1").build();

  private LocalDynamoDb ddb;
  private DynamoDbClient client;
  private DynamoDbEnhancedClient enhanced;
  private GlobalTablesExtension globalTables;
  private String tableName;
  private DynamoDbTable<Account> accounts;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    this.ddb = ddb;
    client = ddb.newClient(Region.EU_WEST_1);
    tableName = ddb.createTable("accounts", "id");
    globalTables = GlobalTablesExtension.builder().client(client).build();
    enhanced = globalTables.enhancedClient();
    // The one line that changes in existing code: where the table comes from.
    accounts = globalTables.table(enhanced.table(tableName, TableSchema.fromBean(Account.class)));
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private Map<String, AttributeValue> stored() {
    return client
        .getItem(r -> r.tableName(tableName).key(Map.of("id", s("a-1"))).consistentRead(true))
        .item();
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static Account account(String email) {
    Account account = new Account();
    account.setId("a-1");
    account.setEmail(email);
    account.setPlan("free");
    return account;
  }

  @Test
  void putItem_withoutVersion_createsAtVersion1_withTheTokenKeptInTheItemOnly() {
    accounts.putItem(account("old@example.com"));

    Account read = accounts.getItem(KEY);
    assertThat(read.getVersion()).isEqualTo(1L);
    assertThat(read.getEmail()).isEqualTo("old@example.com");
    // No @WriteToken: the token lives in the item, named by the entity's (camelCase) convention.
    assertThat(stored()).containsKey("writeToken").doesNotContainKey("write_token");
  }

  @Test
  void putItem_withoutVersion_onATakenKey_isRefused_andTheItemIsUntouched() {
    accounts.putItem(account("old@example.com"));

    assertThatThrownBy(() -> accounts.putItem(account("new@example.com")))
        .isInstanceOf(ItemAlreadyExistsException.class);
    assertThat(stored()).containsEntry("email", s("old@example.com"));
  }

  @Test
  void updateItem_atTheHeldVersion_writesOnlyWhatChanged_andKeepsUnmappedAttributes() {
    accounts.putItem(account("old@example.com"));
    client.updateItem(
        r ->
            r.tableName(tableName)
                .key(Map.of("id", s("a-1")))
                .updateExpression("SET notes = :n")
                .expressionAttributeValues(Map.of(":n", s("kept"))));
    Account read = accounts.getItem(KEY);
    read.setEmail("new@example.com");

    Account saved = accounts.updateItem(read);

    assertThat(saved.getVersion()).isEqualTo(2L);
    Map<String, AttributeValue> item = stored();
    assertThat(item)
        .containsEntry("email", s("new@example.com"))
        .containsEntry("plan", s("free"))
        .containsEntry("notes", s("kept"))
        .containsEntry("version", AttributeValue.fromN("2"))
        .containsKey("parentToken");
  }

  @Test
  void stalePut_isRefusedWithAVersionConflict_andTheNewerWriteSurvives() {
    accounts.putItem(account("old@example.com"));
    Account portal = accounts.getItem(KEY);
    Account batch = accounts.getItem(KEY);
    portal.setEmail("portal@example.com");
    accounts.putItem(portal);
    batch.setPlan("pro");

    assertThatThrownBy(() -> accounts.putItem(batch))
        .isInstanceOf(VersionConflictException.class)
        .hasMessageContaining("expected version 1");
    Map<String, AttributeValue> item = stored();
    assertThat(item)
        .containsEntry("email", s("portal@example.com"))
        .containsEntry("plan", s("free"));
    assertThat(item).containsEntry("version", AttributeValue.fromN("2"));
  }

  @Test
  void staleDeleteItem_isRefused_andTheItemIsStillThere() {
    accounts.putItem(account("old@example.com"));
    Account stale = accounts.getItem(KEY);
    Account fresh = accounts.getItem(KEY);
    fresh.setEmail("new@example.com");
    accounts.updateItem(fresh);

    assertThatThrownBy(() -> accounts.deleteItem(stale))
        .isInstanceOf(VersionConflictException.class);
    assertThat(stored()).containsEntry("email", s("new@example.com"));
  }

  @Test
  void deleteItem_atTheHeldVersion_deletesAndReturnsTheEntity() {
    accounts.putItem(account("old@example.com"));
    Account read = accounts.getItem(KEY);

    Account deleted = accounts.deleteItem(read);

    assertThat(deleted.getEmail()).isEqualTo("old@example.com");
    assertThat(stored()).isEmpty();
  }

  @Test
  void deleteItemByKey_deletesTheCurrentItem_andReturnsNullWhenThereIsNone() {
    accounts.putItem(account("old@example.com"));

    assertThat(accounts.deleteItem(KEY).getEmail()).isEqualTo("old@example.com");
    assertThat(stored()).isEmpty();
    assertThat(accounts.deleteItem(KEY)).isNull();
  }

  @Test
  void updateItem_onADeletedItem_isItemNotFound_andNothingIsRecreated() {
    accounts.putItem(account("old@example.com"));
    Account read = accounts.getItem(KEY);
    accounts.deleteItem(KEY);
    read.setEmail("new@example.com");

    assertThatThrownBy(() -> accounts.updateItem(read)).isInstanceOf(ItemNotFoundException.class);
    assertThat(stored()).isEmpty();
  }

  @Test
  void updateItemWithIgnoreNulls_leavesNullPropertiesAlone() {
    accounts.putItem(account("old@example.com"));
    Account partial = new Account();
    partial.setId("a-1");
    partial.setVersion(1L);
    partial.setPlan("pro");

    accounts.updateItem(r -> r.item(partial).ignoreNulls(true));

    assertThat(stored())
        .containsEntry("email", s("old@example.com"))
        .containsEntry("plan", s("pro"));
  }

  @Test
  void updateItemWithoutIgnoreNulls_removesNullProperties_asTheSdkDoes() {
    accounts.putItem(account("old@example.com"));
    Account read = accounts.getItem(KEY);
    read.setEmail(null);

    accounts.updateItem(read);

    assertThat(stored()).doesNotContainKey("email").containsEntry("plan", s("free"));
  }

  @Test
  void requestsWithConditionsOrReturnValues_areRefused_andWriteNothing() {
    Expression condition = Expression.builder().expression("attribute_not_exists(id)").build();

    assertThatThrownBy(
            () ->
                accounts.putItem(
                    PutItemEnhancedRequest.builder(Account.class)
                        .item(account("x@example.com"))
                        .conditionExpression(condition)
                        .build()))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("putItem on a @Versioned table");
    assertThatThrownBy(
            () ->
                accounts.updateItem(
                    UpdateItemEnhancedRequest.builder(Account.class)
                        .item(account("x@example.com"))
                        .conditionExpression(condition)
                        .build()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(
            () ->
                accounts.putItemWithResponse(
                    PutItemEnhancedRequest.builder(Account.class)
                        .item(account("x@example.com"))
                        .returnValues(ReturnValue.ALL_OLD)
                        .build()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(stored()).isEmpty();

    accounts.putItem(account("old@example.com"));
    assertThatThrownBy(
            () ->
                accounts.deleteItem(
                    DeleteItemEnhancedRequest.builder()
                        .key(KEY)
                        .conditionExpression(condition)
                        .build()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(stored()).containsEntry("email", s("old@example.com"));
  }

  @Test
  void anSdkVersionedEntityOnTheSameClient_stillRefusesAStalePut() {
    DynamoDbTable<Order> orders =
        enhanced.table(ddb.createTable("orders", "id"), TableSchema.fromBean(Order.class));
    Order order = new Order();
    order.setId("o-1");
    order.setStatus("new");
    orders.putItem(order);
    Order first = orders.getItem(Key.builder().partitionValue("o-1").build());
    Order second = orders.getItem(Key.builder().partitionValue("o-1").build());
    first.setStatus("paid");
    orders.putItem(first);
    second.setStatus("cancelled");

    assertThatThrownBy(() -> orders.putItem(second))
        .isInstanceOf(ConditionalCheckFailedException.class);
    assertThat(orders.getItem(Key.builder().partitionValue("o-1").build()).getStatus())
        .isEqualTo("paid");
  }

  @Test
  void anItemWrittenByTheSdksVersionedRecordExtension_isAdoptedByTheFirstSave() {
    // As the SDK's extension leaves it: a version, no token.
    client.putItem(
        r ->
            r.tableName(tableName)
                .item(
                    Map.of(
                        "id", s("a-1"),
                        "email", s("old@example.com"),
                        "version", AttributeValue.fromN("7"))));
    Account read = accounts.getItem(KEY);
    read.setEmail("new@example.com");

    Account saved = accounts.updateItem(read);

    assertThat(saved.getVersion()).isEqualTo(8L);
    assertThat(stored()).containsEntry("email", s("new@example.com")).containsKey("writeToken");
  }

  @Test
  void readsQueriesAndScans_areTheEnhancedClientsOwn() {
    accounts.putItem(account("old@example.com"));

    assertThat(accounts.scan().items())
        .extracting(Account::getEmail)
        .containsExactly("old@example.com");
    assertThat(accounts.describeTable().table().tableName()).isEqualTo(tableName);
    assertThat(accounts.keyFrom(account("x")).partitionKeyValue()).isEqualTo(s("a-1"));
  }

  /** A camelCase entity without {@code @WriteToken}. */
  @DynamoDbBean
  public static class Account {
    private String id;
    private String email;
    private String plan;
    private Long version;

    @DynamoDbPartitionKey
    public String getId() {
      return id;
    }

    public void setId(String id) {
      this.id = id;
    }

    public String getEmail() {
      return email;
    }

    public void setEmail(String email) {
      this.email = email;
    }

    public String getPlan() {
      return plan;
    }

    public void setPlan(String plan) {
      this.plan = plan;
    }

    @Versioned
    public Long getVersion() {
      return version;
    }

    public void setVersion(Long version) {
      this.version = version;
    }
  }

  /** Another team's entity on the same client, versioned by the SDK's own extension. */
  @DynamoDbBean
  public static class Order {
    private String id;
    private String status;
    private Long version;

    @DynamoDbPartitionKey
    public String getId() {
      return id;
    }

    public void setId(String id) {
      this.id = id;
    }

    public String getStatus() {
      return status;
    }

    public void setStatus(String status) {
      this.status = status;
    }

    @DynamoDbVersionAttribute
    public Long getVersion() {
      return version;
    }

    public void setVersion(Long version) {
      this.version = version;
    }
  }
}
