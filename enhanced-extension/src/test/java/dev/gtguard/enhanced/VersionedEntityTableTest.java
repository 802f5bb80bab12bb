package dev.gtguard.enhanced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.ReadConsistency;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.ItemAlreadyExistsException;
import dev.gtguard.exception.VersionConflictException;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.WriteBatch;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The entity API on DynamoDB Local, once with the annotated bean and once with the tags. */
@DynamoDbLocalTest
class VersionedEntityTableTest {
  private static final Key KEY = Key.builder().partitionValue("subscriber#4711").build();

  private final List<UpdateItemRequest> updates = new CopyOnWriteArrayList<>();
  private DynamoDbClient client;
  private DynamoDbEnhancedClient enhanced;
  private GlobalTablesExtension globalTables;
  private String tableName;

  static Stream<TableSchema<Customer>> schemas() {
    return Stream.of(TableSchema.fromBean(Customer.class), Customer.staticSchema());
  }

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    ExecutionInterceptor capture =
        new ExecutionInterceptor() {
          @Override
          public void beforeExecution(
              Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof UpdateItemRequest update) {
              updates.add(update);
            }
          }
        };
    client = ddb.newClient(Region.EU_WEST_1, capture);
    tableName = ddb.createTable("customers", "id");
    globalTables = GlobalTablesExtension.builder().client(client).build();
    enhanced =
        DynamoDbEnhancedClient.builder()
            .dynamoDbClient(client)
            .extensions(globalTables.withSdkDefaults())
            .build();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private VersionedEntityTable<Customer> customers(TableSchema<Customer> schema) {
    return globalTables.table(enhanced.table(tableName, schema));
  }

  private Map<String, AttributeValue> stored() {
    return client
        .getItem(
            r ->
                r.tableName(tableName).key(Map.of("id", s("subscriber#4711"))).consistentRead(true))
        .item();
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  @ParameterizedTest
  @MethodSource("schemas")
  void create_newEntity_returnsEntityAtVersion1WithTokenAndLeavesArgumentAlone(
      TableSchema<Customer> schema) {
    Customer fresh = new Customer("subscriber#4711", "12 Old Kent Road");

    Customer created = customers(schema).create(fresh);

    assertThat(created.getVersion()).isEqualTo(1L);
    assertThat(created.getWriteToken()).hasSize(26);
    assertThat(created.getDeliveryAddress()).isEqualTo("12 Old Kent Road");
    assertThat(fresh.getVersion()).isNull();
    assertThat(fresh.getWriteToken()).isNull();
    assertThat(stored())
        .containsEntry("version", AttributeValue.fromN("1"))
        .containsEntry("write_token", s(created.getWriteToken()));
    assertThat(customers(schema).get(KEY, ReadConsistency.STRONG))
        .get()
        .usingRecursiveComparison()
        .isEqualTo(created);
  }

  @ParameterizedTest
  @MethodSource("schemas")
  void update_mutatingFunction_writesOnlyTheChangedAttributeAndReturnsNewVersionAndToken(
      TableSchema<Customer> schema) {
    VersionedEntityTable<Customer> customers = customers(schema);
    Customer created = customers.create(new Customer("subscriber#4711", "12 Old Kent Road"));
    // An attribute the entity does not map, written by someone else: an update must keep it.
    client.updateItem(
        r ->
            r.tableName(tableName)
                .key(Map.of("id", s("subscriber#4711")))
                .updateExpression("SET crm_note = :n")
                .expressionAttributeValues(Map.of(":n", s("VIP"))));
    updates.clear();

    EntityUpdateResult<Customer> result =
        customers.updateWithResult(
            KEY,
            c -> {
              c.setDeliveryAddress("221B Baker Street");
              return c;
            });

    Customer updated = result.entity();
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(updated.getVersion()).isEqualTo(2L);
    assertThat(updated.getWriteToken()).hasSize(26).isNotEqualTo(created.getWriteToken());
    assertThat(updated.getDeliveryAddress()).isEqualTo("221B Baker Street");
    assertThat(updates).hasSize(1);
    assertThat(updates.get(0).expressionAttributeNames().values())
        .containsExactlyInAnyOrder("delivery_address", "version", "write_token", "parent_token");
    assertThat(stored())
        .containsEntry("delivery_address", s("221B Baker Street"))
        .containsEntry("crm_note", s("VIP"))
        .containsEntry("parent_token", s(created.getWriteToken()))
        .containsEntry("version", AttributeValue.fromN("2"));
  }

  @ParameterizedTest
  @MethodSource("schemas")
  void update_propertySetToNull_removesTheAttribute(TableSchema<Customer> schema) {
    VersionedEntityTable<Customer> customers = customers(schema);
    Customer created = new Customer("subscriber#4711", "12 Old Kent Road");
    created.setLastContacted("2024-10-01");
    customers.create(created);

    Customer updated =
        customers.update(
            KEY,
            c -> {
              c.setLastContacted(null);
              return c;
            });

    assertThat(updated.getLastContacted()).isNull();
    assertThat(stored()).doesNotContainKey("last_contacted").containsKey("delivery_address");
  }

  @ParameterizedTest
  @MethodSource("schemas")
  void update_functionChangesNothing_sendsNoWrite(TableSchema<Customer> schema) {
    VersionedEntityTable<Customer> customers = customers(schema);
    customers.create(new Customer("subscriber#4711", "12 Old Kent Road"));
    updates.clear();

    EntityUpdateResult<Customer> result = customers.updateWithResult(KEY, c -> c);

    assertThat(result.attempts()).isZero();
    assertThat(result.entity().getVersion()).isEqualTo(1L);
    assertThat(updates).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("schemas")
  void update_functionTouchesTheVersion_isRefusedAndWritesNothing(TableSchema<Customer> schema) {
    VersionedEntityTable<Customer> customers = customers(schema);
    customers.create(new Customer("subscriber#4711", "12 Old Kent Road"));
    updates.clear();

    assertThatThrownBy(
            () ->
                customers.update(
                    KEY,
                    c -> {
                      c.setDeliveryAddress("221B Baker Street");
                      c.setVersion(99L);
                      return c;
                    }))
        .isInstanceOf(InvalidItemException.class)
        .hasMessageContaining("version")
        .extracting(e -> ((InvalidItemException) e).reason())
        .isEqualTo(InvalidItemException.Reason.VERSION_CHANGED);
    assertThat(updates).isEmpty();
    assertThat(stored()).containsEntry("delivery_address", s("12 Old Kent Road"));
  }

  @ParameterizedTest
  @MethodSource("schemas")
  void create_entityWithAVersion_isRefusedAndWritesNothing(TableSchema<Customer> schema) {
    Customer stale = new Customer("subscriber#4711", "12 Old Kent Road");
    stale.setVersion(5L);

    assertThatThrownBy(() -> customers(schema).create(stale))
        .isInstanceOf(InvalidItemException.class)
        .hasMessageContaining("'version' is managed by the library");
    assertThat(stored()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("schemas")
  void create_takenKey_throwsItemAlreadyExists(TableSchema<Customer> schema) {
    VersionedEntityTable<Customer> customers = customers(schema);
    customers.create(new Customer("subscriber#4711", "12 Old Kent Road"));

    assertThatThrownBy(() -> customers.create(new Customer("subscriber#4711", "elsewhere")))
        .isInstanceOf(ItemAlreadyExistsException.class);
    assertThat(stored()).containsEntry("delivery_address", s("12 Old Kent Road"));
  }

  @ParameterizedTest
  @MethodSource("schemas")
  void delete_checksTheEntitysVersionAndToken(TableSchema<Customer> schema) {
    VersionedEntityTable<Customer> customers = customers(schema);
    Customer v1 = customers.create(new Customer("subscriber#4711", "12 Old Kent Road"));
    Customer v2 =
        customers.update(
            KEY,
            c -> {
              c.setDeliveryAddress("221B Baker Street");
              return c;
            });

    assertThatThrownBy(() -> customers.delete(v1)).isInstanceOf(VersionConflictException.class);
    assertThat(stored()).isNotEmpty();
    assertThatThrownBy(() -> customers.delete(new Customer("subscriber#4711", "x")))
        .isInstanceOf(InvalidItemException.class)
        .hasMessageContaining("read it first");

    customers.delete(v2);

    assertThat(stored()).isEmpty();
    assertThat(customers.get(KEY)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("schemas")
  void plainDynamoDbTableWrites_ofAVersionedEntity_areRefusedBeforeTheyAreSent(
      TableSchema<Customer> schema) {
    VersionedEntityTable<Customer> customers = customers(schema);
    Customer created = customers.create(new Customer("subscriber#4711", "12 Old Kent Road"));
    created.setDeliveryAddress("overwritten");

    assertThatThrownBy(() -> customers.dynamoDbTable().putItem(created))
        .isInstanceOf(UnprotectedWriteException.class)
        .hasMessageContaining("VersionedEntityTable");
    assertThatThrownBy(() -> customers.dynamoDbTable().updateItem(created))
        .isInstanceOf(UnprotectedWriteException.class);
    assertThatThrownBy(
            () ->
                enhanced.transactWriteItems(
                    r ->
                        r.addPutItem(
                            customers.dynamoDbTable(),
                            TransactPutItemEnhancedRequest.builder(Customer.class)
                                .item(created)
                                .build())))
        .isInstanceOf(UnprotectedWriteException.class);
    assertThatThrownBy(
            () ->
                enhanced.batchWriteItem(
                    r ->
                        r.addWriteBatch(
                            WriteBatch.builder(Customer.class)
                                .mappedTableResource(customers.dynamoDbTable())
                                .addPutItem(created)
                                .build())))
        .isInstanceOf(UnprotectedWriteException.class);
    assertThat(stored()).containsEntry("delivery_address", s("12 Old Kent Road"));
    // Reads through the plain table are untouched.
    assertThat(customers.dynamoDbTable().getItem(KEY).getVersion()).isEqualTo(1L);
  }
}
