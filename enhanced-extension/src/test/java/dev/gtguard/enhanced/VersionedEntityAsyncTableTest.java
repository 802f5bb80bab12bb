package dev.gtguard.enhanced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.ReadConsistency;
import dev.gtguard.enhanced.BadEntities.TwoVersions;
import dev.gtguard.enhanced.DropInTableTest.Account;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.VersionConflictException;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import dev.gtguard.testkit.RequestCounter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedAsyncClient;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link VersionedEntityAsyncTable} through {@code DynamoDbEnhancedAsyncClient} on DynamoDB Local:
 * the blocking entity table's outcomes, exceptions and requests, every update function on the
 * configured executor, nothing thrown.
 */
@DynamoDbLocalTest
class VersionedEntityAsyncTableTest {
  private static final Key KEY = Key.builder().partitionValue("subscriber#4711").build();

  private static final RequestCounter asyncCount = new RequestCounter();
  // One client for the class: closing a Netty client waits out its event loop's quiet period.
  private static DynamoDbAsyncClient asyncClient;

  private final RequestCounter blockingCount = new RequestCounter();
  private final Set<String> functionThreads = ConcurrentHashMap.newKeySet();
  private LocalDynamoDb ddb;
  private DynamoDbClient client;
  private ExecutorService user;
  private ScheduledExecutorService scheduler;
  private String tableName;
  private GlobalTablesExtension globalTables;
  private DynamoDbEnhancedAsyncClient enhanced;

  static DynamoDbAsyncClient asyncClient(LocalDynamoDb ddb, RequestCounter counter) {
    return DynamoDbAsyncClient.builder()
        .endpointOverride(ddb.endpoint())
        .region(Region.EU_WEST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
        .build();
  }

  @BeforeAll
  static void startAsyncClient(LocalDynamoDb ddb) {
    asyncClient = asyncClient(ddb, asyncCount);
  }

  @AfterAll
  static void closeAsyncClient() {
    asyncClient.close();
  }

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    this.ddb = ddb;
    client = ddb.newClient(Region.EU_WEST_1, blockingCount);
    user = Executors.newSingleThreadExecutor(r -> new Thread(r, "gt-user"));
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "gt-scheduler"));
    tableName = ddb.createTable("customers", "id");
    globalTables = GlobalTablesExtension.builder().client(asyncClient).build();
    enhanced = globalTables.enhancedAsyncClient();
    asyncCount.reset();
  }

  @AfterEach
  void tearDown() {
    user.shutdownNow();
    scheduler.shutdownNow();
    client.close();
  }

  static Stream<TableSchema<Customer>> schemas() {
    return Stream.of(TableSchema.fromBean(Customer.class), Customer.staticSchema());
  }

  private static ConflictRetryPolicy patient() {
    return ConflictRetryPolicy.builder()
        .maxAttempts(10_000)
        .baseDelay(Duration.ofMillis(2))
        .maxDelay(Duration.ofMillis(50))
        .build();
  }

  private <T> VersionedEntityAsyncTable<T> asyncTable(String table, TableSchema<T> schema) {
    return globalTables.table(
        enhanced.table(table, schema),
        options -> options.executor(user).scheduler(scheduler).retryPolicy(patient()));
  }

  private <T> VersionedEntityTable<T> blockingTable(String table, TableSchema<T> schema) {
    GlobalTablesExtension blocking = GlobalTablesExtension.builder().client(client).build();
    return blocking.table(blocking.enhancedClient().table(table, schema));
  }

  private Map<String, AttributeValue> stored(String id) {
    // The shared client: read-backs are not counted.
    return ddb.client()
        .getItem(
            r ->
                r.tableName(tableName)
                    .key(Map.of("id", AttributeValue.fromS(id)))
                    .consistentRead(true))
        .item();
  }

  private UnaryOperator<Customer> recorded(UnaryOperator<Customer> function) {
    return c -> {
      functionThreads.add(Thread.currentThread().getName());
      return function.apply(c);
    };
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  /** What the call failed with, thrown at once or through its future. */
  private static Throwable failureOf(Supplier<CompletableFuture<?>> call) throws Exception {
    try {
      call.get().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }

  @ParameterizedTest
  @MethodSource("schemas")
  void createSaveUpdateDelete_throughTheAsyncEnhancedClient(TableSchema<Customer> schema)
      throws Exception {
    VersionedEntityAsyncTable<Customer> customers = asyncTable(tableName, schema);
    Customer fresh = new Customer("subscriber#4711", "12 Old Kent Road");

    Customer created = await(customers.create(fresh));
    assertThat(created.getVersion()).isEqualTo(1L);
    assertThat(created.getWriteToken()).hasSize(26);
    assertThat(fresh.getVersion()).isNull();

    Customer read = await(customers.getItem(KEY)); // the Enhanced Client's own read
    read.setDeliveryAddress("221B Baker Street");
    Customer saved = await(customers.updateItem(read));
    assertThat(saved.getVersion()).isEqualTo(2L);
    saved.setLastContacted("2024-11-22");
    await(customers.putItem(saved));
    assertThat(stored("subscriber#4711"))
        .containsEntry("delivery_address", AttributeValue.fromS("221B Baker Street"))
        .containsEntry("last_contacted", AttributeValue.fromS("2024-11-22"))
        .containsEntry("version", AttributeValue.fromN("3"));

    EntityUpdateResult<Customer> updated =
        await(
            customers.updateWithResult(
                KEY,
                recorded(
                    c -> {
                      c.setCount(1L);
                      return c;
                    })));
    assertThat(updated.attempts()).isEqualTo(1);
    assertThat(updated.entity().getVersion()).isEqualTo(4L);
    assertThat(await(customers.get(KEY, ReadConsistency.STRONG)))
        .get()
        .usingRecursiveComparison()
        .isEqualTo(updated.entity());
    assertThat(functionThreads).containsExactly("gt-user");

    assertThat(await(customers.deleteItem(updated.entity())).getCount()).isEqualTo(1L);
    assertThat(stored("subscriber#4711")).isEmpty();
    assertThat(await(customers.deleteItem(KEY))).isNull();
    assertThat(await(customers.get(KEY))).isEmpty();
  }

  @Test
  void staleSave_failsWithTheBlockingTablesVersionConflict_andWritesNothing() throws Exception {
    VersionedEntityAsyncTable<Customer> customers =
        asyncTable(tableName, TableSchema.fromBean(Customer.class));
    VersionedEntityTable<Customer> blocking =
        blockingTable(tableName, TableSchema.fromBean(Customer.class));
    await(customers.create(new Customer("subscriber#4711", "12 Old Kent Road")));
    Customer portal = await(customers.getItem(KEY));
    Customer job = await(customers.getItem(KEY));
    portal.setDeliveryAddress("221B Baker Street");
    await(customers.save(portal));
    job.setLastContacted("2024-11-22");

    CompletableFuture<Customer> stale = customers.updateItem(job);

    assertThatThrownBy(stale::join)
        .isExactlyInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(VersionConflictException.class)
        .hasMessageContaining("expected version 1");
    Throwable asyncConflict = failureOf(() -> stale);
    assertThatThrownBy(() -> blocking.updateItem(job))
        .isExactlyInstanceOf(asyncConflict.getClass())
        .hasMessage(asyncConflict.getMessage());
    assertThat(failureOf(() -> customers.delete(job))).isInstanceOf(VersionConflictException.class);
    assertThat(stored("subscriber#4711"))
        .containsEntry("delivery_address", AttributeValue.fromS("221B Baker Street"))
        .containsEntry("version", AttributeValue.fromN("2"))
        .doesNotContainKey("last_contacted");
  }

  @Test
  void badInput_failsTheFuture_withoutThrowing_andSendsNothing() throws Exception {
    VersionedEntityAsyncTable<Customer> customers =
        asyncTable(tableName, TableSchema.fromBean(Customer.class));
    Customer versioned = new Customer("subscriber#4711", "12 Old Kent Road");
    versioned.setVersion(5L);
    Customer neverRead = new Customer("subscriber#4711", "12 Old Kent Road");
    Expression condition = Expression.builder().expression("attribute_not_exists(id)").build();
    IllegalStateException builderFailure = new IllegalStateException("builder");
    asyncCount.reset();

    // None of these throws: each returns a future, already failed.
    List<CompletableFuture<?>> futures = new ArrayList<>();
    futures.add(customers.create(versioned));
    futures.add(customers.delete(neverRead));
    futures.add(customers.create(null));
    futures.add(customers.update(null, c -> c));
    futures.add(
        customers.putItem(
            PutItemEnhancedRequest.builder(Customer.class)
                .item(neverRead)
                .conditionExpression(condition)
                .build()));
    futures.add(
        customers.updateItem(
            r -> {
              throw builderFailure;
            }));

    assertThat(futures).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
    assertThat(failureOf(() -> futures.get(0)))
        .isInstanceOf(InvalidItemException.class)
        .hasMessageContaining("'version' is managed by the library");
    assertThat(failureOf(() -> futures.get(1)))
        .isInstanceOf(InvalidItemException.class)
        .hasMessageContaining("read it first");
    assertThat(failureOf(() -> futures.get(2))).isInstanceOf(NullPointerException.class);
    assertThat(failureOf(() -> futures.get(3))).isInstanceOf(NullPointerException.class);
    assertThat(failureOf(() -> futures.get(4)))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("putItem on a @Versioned table");
    assertThat(failureOf(() -> futures.get(5))).isSameAs(builderFailure);
    assertThat(asyncCount.total()).isZero();
    assertThat(stored("subscriber#4711")).isEmpty();
  }

  @Test
  void updateFunctionThatTouchesTheVersion_failsOnTheUserThread_andWritesNothing()
      throws Exception {
    VersionedEntityAsyncTable<Customer> customers =
        asyncTable(tableName, TableSchema.fromBean(Customer.class));
    await(customers.create(new Customer("subscriber#4711", "12 Old Kent Road")));
    asyncCount.reset();

    Throwable refused =
        failureOf(
            () ->
                customers.update(
                    KEY,
                    recorded(
                        c -> {
                          c.setDeliveryAddress("221B Baker Street");
                          c.setVersion(99L);
                          return c;
                        })));

    assertThat(refused)
        .isInstanceOf(InvalidItemException.class)
        .extracting(e -> ((InvalidItemException) e).reason())
        .isEqualTo(InvalidItemException.Reason.VERSION_CHANGED);
    assertThat(asyncCount.count("UpdateItem")).isZero();
    assertThat(functionThreads).containsExactly("gt-user");
    assertThat(stored("subscriber#4711"))
        .containsEntry("delivery_address", AttributeValue.fromS("12 Old Kent Road"));
  }

  @Test
  void concurrentUpdates_runEveryFunctionOnTheExecutor_andConserveEveryIncrement()
      throws Exception {
    VersionedEntityAsyncTable<Customer> customers =
        asyncTable(tableName, TableSchema.fromBean(Customer.class));
    Customer hot = new Customer("subscriber#4711", "12 Old Kent Road");
    hot.setCount(0L);
    await(customers.create(hot));
    asyncCount.reset();

    List<CompletableFuture<EntityUpdateResult<Customer>>> futures = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      futures.add(
          customers.updateWithResult(
              KEY,
              recorded(
                  c -> {
                    c.setCount(c.getCount() + 1);
                    return c;
                  })));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    Map<String, Long> requests = asyncCount.snapshot();

    Customer last = await(customers.get(KEY, ReadConsistency.STRONG)).orElseThrow();
    assertThat(last.getCount()).isEqualTo(16L);
    assertThat(last.getVersion()).isEqualTo(17L);
    long attempts = futures.stream().mapToLong(f -> f.join().attempts()).sum();
    // One read per update, at its start; a conflict's retry uses the item DynamoDB returned.
    assertThat(requests)
        .isEqualTo(Map.of("GetItem", attempts, "UpdateItem", attempts)); // a read before each
    assertThat(functionThreads).containsExactly("gt-user");
  }

  /**
   * The drop-in sequence of an entity without {@code @WriteToken} (its deletes read the token),
   * once through each table: the same requests, operation by operation.
   */
  @Test
  void requestCounts_equalTheBlockingEntityTables() throws Exception {
    VersionedEntityTable<Account> blocking =
        blockingTable(ddb.createTable("accounts", "id"), TableSchema.fromBean(Account.class));
    VersionedEntityAsyncTable<Account> async =
        asyncTable(ddb.createTable("accounts", "id"), TableSchema.fromBean(Account.class));
    Key key = Key.builder().partitionValue("a-1").build();
    UnaryOperator<Account> upgrade =
        a -> {
          a.setPlan("pro");
          return a;
        };
    blockingCount.reset();
    asyncCount.reset();

    blocking.putItem(account());
    Account read = blocking.getItem(key);
    read.setEmail("new@example.com");
    Account saved = blocking.updateItem(read);
    Account upgraded = blocking.update(key, upgrade);
    assertThatThrownBy(() -> blocking.updateItem(saved))
        .isInstanceOf(VersionConflictException.class);
    blocking.deleteItem(upgraded);
    blocking.putItem(account());
    assertThat(blocking.deleteItem(key)).isNotNull();

    await(async.putItem(account()));
    Account asyncRead = await(async.getItem(key));
    asyncRead.setEmail("new@example.com");
    Account asyncSaved = await(async.updateItem(asyncRead));
    Account asyncUpgraded = await(async.update(key, upgrade));
    assertThat(failureOf(() -> async.updateItem(asyncSaved)))
        .isInstanceOf(VersionConflictException.class);
    await(async.deleteItem(asyncUpgraded));
    await(async.putItem(account()));
    assertThat(await(async.deleteItem(key))).isNotNull();

    assertThat(asyncCount.snapshot())
        .isEqualTo(blockingCount.snapshot())
        .containsEntry("UpdateItem", 2L)
        .containsEntry("DeleteItem", 2L);
  }

  private static Account account() {
    Account account = new Account();
    account.setId("a-1");
    account.setEmail("old@example.com");
    account.setPlan("free");
    return account;
  }

  @Test
  void theAsyncClient_isCheckedForTheExtensionAndTheSdkDefaults_likeTheBlockingOne() {
    TableSchema<Customer> schema = TableSchema.fromBean(Customer.class);
    DynamoDbEnhancedAsyncClient sdkOnly =
        DynamoDbEnhancedAsyncClient.builder().dynamoDbClient(asyncClient).build();
    DynamoDbEnhancedAsyncClient withoutDefaults =
        DynamoDbEnhancedAsyncClient.builder()
            .dynamoDbClient(asyncClient)
            .extensions(globalTables)
            .build();

    assertThatThrownBy(() -> globalTables.table(sdkOnly.table(tableName, schema)))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining("DynamoDbEnhancedAsyncClient behind table")
        .hasMessageContaining("does not run GlobalTablesExtension")
        .hasMessageContaining("globalTables.enhancedAsyncClient()");
    assertThatThrownBy(() -> globalTables.table(withoutDefaults.table(tableName, schema)))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining(
            "without the SDK's VersionedRecordExtension and AtomicCounterExtension");
    assertThatThrownBy(
            () ->
                globalTables.table(
                    enhanced.table(tableName, TableSchema.fromBean(TwoVersions.class))))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining("two version attributes");

    GlobalTablesExtension blockingOnly = GlobalTablesExtension.builder().client(client).build();
    assertThatThrownBy(blockingOnly::enhancedAsyncClient)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("DynamoDbAsyncClient");
    assertThatThrownBy(() -> blockingOnly.table(enhanced.table(tableName, schema)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("DynamoDbAsyncClient");
    assertThatThrownBy(globalTables::enhancedClient)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("enhancedAsyncClient()");
  }

  @Test
  void plainAsyncTableWrites_ofAVersionedEntity_areRefusedBeforeTheyAreSent() throws Exception {
    VersionedEntityAsyncTable<Customer> customers =
        asyncTable(tableName, TableSchema.fromBean(Customer.class));
    Customer created = await(customers.create(new Customer("subscriber#4711", "12 Old Kent Road")));
    created.setDeliveryAddress("overwritten");
    asyncCount.reset();

    assertThat(failureOf(() -> customers.dynamoDbTable().putItem(created)))
        .isInstanceOf(UnprotectedWriteException.class)
        .hasMessageContaining("VersionedEntityTable");
    assertThat(failureOf(() -> customers.dynamoDbTable().updateItem(created)))
        .isInstanceOf(UnprotectedWriteException.class);
    assertThat(asyncCount.total()).isZero();
    assertThat(stored("subscriber#4711"))
        .containsEntry("delivery_address", AttributeValue.fromS("12 Old Kent Road"));
  }
}
