package dev.gtguard.enhanced;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.RegionClients;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import dev.gtguard.testkit.RequestCounter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A {@link HomeRegion} entity written from us-east-1 through the asynchronous table: its writes go
 * to its home, eu-west-1, with the blocking table's requests region by region. Both "regions" are
 * clients of one DynamoDB Local (a shared database), each counting its own requests: routing shows
 * in which client sent what. (The replicating local Global Table's stamping does not serve
 * asynchronous clients yet.)
 */
@DynamoDbLocalTest
class EntityAsyncHomeRegionTest {
  private static final String EU = "eu-west-1";
  private static final String US = "us-east-1";
  private static final RequestCounter euAsync = new RequestCounter();
  private static final RequestCounter usAsync = new RequestCounter();
  private static DynamoDbAsyncClient euAsyncClient;
  private static DynamoDbAsyncClient usAsyncClient;

  private final RequestCounter euBlocking = new RequestCounter();
  private final RequestCounter usBlocking = new RequestCounter();
  private DynamoDbClient euClient;
  private DynamoDbClient usClient;
  private VersionedEntityTable<RoutedCustomer> blocking;
  private VersionedEntityAsyncTable<RoutedCustomer> async;

  @BeforeAll
  static void startAsyncClients(LocalDynamoDb ddb) {
    euAsyncClient = asyncClient(ddb, Region.EU_WEST_1, euAsync);
    usAsyncClient = asyncClient(ddb, Region.US_EAST_1, usAsync);
  }

  private static DynamoDbAsyncClient asyncClient(
      LocalDynamoDb ddb, Region region, RequestCounter counter) {
    return DynamoDbAsyncClient.builder()
        .endpointOverride(ddb.endpoint())
        .region(region)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
        .build();
  }

  @AfterAll
  static void closeAsyncClients() {
    euAsyncClient.close();
    usAsyncClient.close();
  }

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    String tableName = ddb.createTable("customers", "id");
    TableSchema<RoutedCustomer> schema = TableSchema.fromBean(RoutedCustomer.class);
    euClient = ddb.newClient(Region.EU_WEST_1, euBlocking);
    usClient = ddb.newClient(Region.US_EAST_1, usBlocking);
    GlobalTablesExtension blockingTables =
        GlobalTablesExtension.builder()
            .clients(RegionClients.builder().local(US, usClient).remote(EU, euClient).build())
            .build();
    blocking = blockingTables.table(blockingTables.enhancedClient().table(tableName, schema));
    GlobalTablesExtension asyncTables =
        GlobalTablesExtension.builder()
            .clients(
                RegionClients.builder().local(US, usAsyncClient).remote(EU, euAsyncClient).build())
            .build();
    async = asyncTables.table(asyncTables.enhancedAsyncClient().table(tableName, schema));
  }

  @AfterEach
  void tearDown() {
    euClient.close();
    usClient.close();
  }

  private static RoutedCustomer customer(String id) {
    RoutedCustomer customer = new RoutedCustomer();
    customer.setId(id);
    customer.setDeliveryAddress("12 Old Kent Road, London");
    customer.setHomeRegion(EU);
    return customer;
  }

  private static Key key(String id) {
    return Key.builder().partitionValue(id).build();
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  private void resetCounts() {
    for (RequestCounter counter : new RequestCounter[] {euAsync, usAsync, euBlocking, usBlocking}) {
      counter.reset();
    }
  }

  @Test
  void writesFromUsEast1_goToTheEntitysHomeInEuWest1_withTheBlockingTablesRequests()
      throws Exception {
    blocking.create(customer("subscriber#b"));
    await(async.create(customer("subscriber#a")));
    UnaryOperator<RoutedCustomer> contacted =
        c -> {
          c.setLastContacted("2024-11-22T14:07:12Z");
          return c;
        };
    resetCounts();

    RoutedCustomer blockingUpdated = blocking.update(key("subscriber#b"), contacted);
    blockingUpdated.setDeliveryAddress("221B Baker Street");
    blocking.save(blockingUpdated);

    RoutedCustomer asyncUpdated = await(async.update(key("subscriber#a"), contacted));
    asyncUpdated.setDeliveryAddress("221B Baker Street");
    RoutedCustomer asyncSaved = await(async.save(asyncUpdated));

    assertThat(asyncSaved.getVersion()).isEqualTo(3L);
    assertThat(asyncSaved.getLastContacted()).isEqualTo("2024-11-22T14:07:12Z");
    // us-east-1 only read its replica to learn the home; both writes were sent to eu-west-1.
    assertThat(usAsync.count("UpdateItem")).isZero();
    assertThat(euAsync.count("UpdateItem")).isEqualTo(2);
    assertThat(Map.of(EU, euAsync.snapshot(), US, usAsync.snapshot()))
        .isEqualTo(Map.of(EU, euBlocking.snapshot(), US, usBlocking.snapshot()));
  }

  @Test
  void moveHome_thenWrites_goToTheNewHome() throws Exception {
    await(async.create(customer("subscriber#a")));

    RoutedCustomer moved = await(async.moveHome(key("subscriber#a"), US));
    resetCounts();
    await(
        async.update(
            key("subscriber#a"),
            c -> {
              c.setCount(1L);
              return c;
            }));

    assertThat(moved.getHomeRegion()).isEqualTo(US);
    assertThat(usAsync.count("UpdateItem")).isEqualTo(1);
    assertThat(euAsync.total()).isZero();
  }
}
