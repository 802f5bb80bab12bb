package dev.gtguard.enhanced;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.LostWrite;
import dev.gtguard.RegionClients;
import dev.gtguard.ledger.Reconciler;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import dev.gtguard.testkit.RequestCounter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The London incident at entity level, on the local Global Table: the eu-west-1 portal changes the
 * delivery address, the us-east-1 retention job then sets {@code last_contacted} before the first
 * write has replicated. Both are acknowledged. With {@code @Versioned} alone each region checks its
 * own replica, one write is lost, and the write ledger names it with what to re-apply; with
 * {@code @HomeRegion} both writes meet in eu-west-1 and nothing is lost.
 */
@LocalGlobalTableTest(
    regions = {"eu-west-1", "us-east-1"},
    lagMillis = 1000)
class EntityLondonTest {
  private static final String EU = "eu-west-1";
  private static final String US = "us-east-1";
  private static final Duration QUIET = Duration.ofSeconds(30);
  private static final Key KEY = Key.builder().partitionValue("subscriber#4711").build();
  private static final String NEW_ADDRESS = "221B Baker Street, London";
  private static final String CONTACTED = "2024-11-22T14:07:12.189Z";

  private final Map<String, RequestCounter> counters = new HashMap<>();
  private LocalGlobalTable global;
  private String tableName;
  private WriteLedger ledger;

  @BeforeEach
  void setUp(LocalGlobalTable global) {
    this.global = global;
    this.tableName = global.createTable("customers", "id");
    this.ledger = WriteLedger.builder().tableName(global.createTable("ledger", "pk", "sk")).build();
  }

  static Stream<Arguments> routedSchemas() {
    Supplier<TableSchema<RoutedCustomer>> bean = () -> TableSchema.fromBean(RoutedCustomer.class);
    Supplier<TableSchema<Customer>> tagged =
        () -> Customer.staticSchema(GlobalTableTags.homeRegion("home_region"));
    return Stream.of(
        Arguments.of(bean, (Supplier<RoutedCustomer>) RoutedCustomer::new),
        Arguments.of(tagged, (Supplier<Customer>) Customer::new));
  }

  /** The customers table as a process in {@code region} sees it. */
  private <T extends Customer> VersionedEntityTable<T> customersIn(
      String region, TableSchema<T> schema) {
    RegionClients.Builder clients = RegionClients.builder();
    for (String r : global.regions()) {
      DynamoDbClient client =
          global.newClient(
              r, counters.computeIfAbsent(region + "->" + r, k -> new RequestCounter()));
      if (r.equals(region)) {
        clients.local(r, client);
      } else {
        clients.remote(r, client);
      }
    }
    RegionClients regions = clients.build();
    GlobalTablesExtension globalTables =
        GlobalTablesExtension.builder().clients(regions).ledger(ledger).build();
    DynamoDbEnhancedClient enhanced = globalTables.enhancedClient();
    return globalTables.table(enhanced.table(tableName, schema));
  }

  private <T extends Customer> void seed(VersionedEntityTable<T> eu, T customer) {
    customer.setId("subscriber#4711");
    customer.setDeliveryAddress("12 Old Kent Road, London");
    customer.setLastContacted("2024-10-01T09:00:00Z");
    customer.setHomeRegion(EU);
    eu.create(customer);
    global.awaitQuiescence(QUIET);
    counters.values().forEach(RequestCounter::reset);
  }

  /** Portal in eu-west-1, then the retention job in us-east-1, both before replication. */
  private <T extends Customer> void bothWrites(
      VersionedEntityTable<T> eu, VersionedEntityTable<T> us) {
    T portal =
        eu.update(
            KEY,
            c -> {
              c.setDeliveryAddress(NEW_ADDRESS);
              return c;
            });
    T job =
        us.update(
            KEY,
            c -> {
              c.setLastContacted(CONTACTED);
              return c;
            });
    assertThat(portal.getDeliveryAddress()).as("portal acknowledged").isEqualTo(NEW_ADDRESS);
    assertThat(job.getLastContacted()).as("job acknowledged").isEqualTo(CONTACTED);
    global.awaitQuiescence(QUIET);
  }

  private Map<String, AttributeValue> stored(String region) {
    return global
        .client(region)
        .getItem(
            r ->
                r.tableName(tableName)
                    .key(Map.of("id", AttributeValue.fromS("subscriber#4711")))
                    .consistentRead(true))
        .item();
  }

  private List<LostWrite> ledgerLosses(VersionedEntityTable<?> table) {
    return Reconciler.builder()
        .ledger(ledger)
        .ledgerClient(global.client(EU))
        .table(table.versionedTable())
        .build()
        .run()
        .lost();
  }

  @Test
  void versionedOnly_loseOneWrite_andTheLedgerNamesItWithWhatToReapply() {
    VersionedEntityTable<Customer> eu = customersIn(EU, TableSchema.fromBean(Customer.class));
    VersionedEntityTable<Customer> us = customersIn(US, TableSchema.fromBean(Customer.class));
    seed(eu, new Customer());

    bothWrites(eu, us);

    Map<String, AttributeValue> survivor = stored(EU);
    assertThat(stored(US)).isEqualTo(survivor);
    boolean addressSurvived = survivor.get("delivery_address").s().equals(NEW_ADDRESS);
    boolean contactSurvived = survivor.get("last_contacted").s().equals(CONTACTED);
    assertThat(addressSurvived ^ contactSurvived).as("exactly one write survived").isTrue();
    // Each region checked its own replica: the writes were local, at version 2 both.
    assertThat(counters.get(EU + "->" + EU).count("TransactWriteItems")).isEqualTo(1);
    assertThat(counters.get(US + "->" + US).count("TransactWriteItems")).isEqualTo(1);

    List<LostWrite> lost = ledgerLosses(eu);

    assertThat(lost).hasSize(1);
    LostWrite loss = lost.get(0);
    assertThat(loss.region()).isEqualTo(addressSurvived ? US : EU);
    assertThat(loss.version()).isEqualTo(2);
    assertThat(loss.changes().set())
        .isEqualTo(
            addressSurvived
                ? Map.of("last_contacted", AttributeValue.fromS(CONTACTED))
                : Map.of("delivery_address", AttributeValue.fromS(NEW_ADDRESS)));

    // What the report says to re-apply, re-applied through the entity's core table, conditional
    // on the state it was judged against.
    eu.versionedTable().repair(loss);
    global.awaitQuiescence(QUIET);
    Customer repaired = eu.get(KEY).orElseThrow();
    assertThat(repaired.getDeliveryAddress()).isEqualTo(NEW_ADDRESS);
    assertThat(repaired.getLastContacted()).isEqualTo(CONTACTED);
  }

  @ParameterizedTest
  @MethodSource("routedSchemas")
  <T extends Customer> void homeRouted_bothWritesMeetInEuWest1_andNothingIsLost(
      Supplier<TableSchema<T>> schema, Supplier<T> newCustomer) {
    VersionedEntityTable<T> eu = customersIn(EU, schema.get());
    VersionedEntityTable<T> us = customersIn(US, schema.get());
    seed(eu, newCustomer.get());

    bothWrites(eu, us);

    Map<String, AttributeValue> survivor = stored(EU);
    assertThat(stored(US)).isEqualTo(survivor);
    assertThat(survivor)
        .containsEntry("delivery_address", AttributeValue.fromS(NEW_ADDRESS))
        .containsEntry("last_contacted", AttributeValue.fromS(CONTACTED))
        .containsEntry("version", AttributeValue.fromN("3"));
    // The job in us-east-1 read its local replica to learn the home, and wrote to eu-west-1.
    assertThat(counters.get(US + "->" + US).count("TransactWriteItems")).isZero();
    assertThat(counters.get(US + "->" + EU).count("TransactWriteItems")).isPositive();
    assertThat(ledgerLosses(eu)).isEmpty();
  }
}
