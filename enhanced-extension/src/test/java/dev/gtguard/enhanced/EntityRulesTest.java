package dev.gtguard.enhanced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.enhanced.BadEntities.AlsoSdkVersioned;
import dev.gtguard.enhanced.BadEntities.HomeAttributeAndResolver;
import dev.gtguard.enhanced.BadEntities.HomeAttributeMissing;
import dev.gtguard.enhanced.BadEntities.HomeResolverCannotBeCreated;
import dev.gtguard.enhanced.BadEntities.NoWriteToken;
import dev.gtguard.enhanced.BadEntities.OnlySdkVersioned;
import dev.gtguard.enhanced.BadEntities.ResolvedToIreland;
import dev.gtguard.enhanced.BadEntities.ResolvedToMars;
import dev.gtguard.enhanced.BadEntities.SdkVersionedElsewhere;
import dev.gtguard.enhanced.BadEntities.TwoVersions;
import dev.gtguard.enhanced.BadEntities.UlidOnAPlainAttribute;
import dev.gtguard.enhanced.BadEntities.VersionIsADouble;
import dev.gtguard.enhanced.BadEntities.VersionIsAString;
import dev.gtguard.exception.UnknownRegionException;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.extensions.AtomicCounterExtension;
import software.amazon.awssdk.enhanced.dynamodb.extensions.VersionedRecordExtension;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Annotation and installation mistakes fail when the schema or the table is built, with a message
 * that names the attribute and the fix, before anything is written.
 */
@DynamoDbLocalTest
class EntityRulesTest {
  private DynamoDbClient client;
  private GlobalTablesExtension globalTables;
  private DynamoDbEnhancedClient enhanced;
  private String tableName;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    client = ddb.newClient(Region.EU_WEST_1);
    tableName = ddb.createTable("rules", "id");
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

  private <T> VersionedEntityTable<T> table(Class<T> type) {
    return globalTables.table(enhanced.table(tableName, TableSchema.fromBean(type)));
  }

  @Test
  void versionOnAString_failsWhenTheSchemaIsBuilt() {
    assertThatThrownBy(() -> TableSchema.fromBean(VersionIsAString.class))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining("'version' is @Versioned but is a String")
        .hasMessageContaining("whole number");
  }

  @Test
  void versionOnADouble_failsWhenTheSchemaIsBuilt() {
    assertThatThrownBy(() -> TableSchema.fromBean(VersionIsADouble.class))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining("'version' is @Versioned but is a Double");
  }

  @Test
  void versionTagOnAStringInAStaticSchema_failsWhenTheSchemaIsBuilt() {
    assertThatThrownBy(
            () ->
                StaticTableSchema.builder(Customer.class)
                    .newItemSupplier(Customer::new)
                    .addAttribute(
                        String.class,
                        a ->
                            a.name("id")
                                .getter(Customer::getId)
                                .setter(Customer::setId)
                                .tags(StaticAttributeTags.primaryPartitionKey()))
                    .addAttribute(
                        String.class,
                        a ->
                            a.name("delivery_address")
                                .getter(Customer::getDeliveryAddress)
                                .setter(Customer::setDeliveryAddress)
                                .tags(GlobalTableTags.versioned()))
                    .build())
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining("'delivery_address' is @Versioned but is a String");
  }

  @Test
  void twoVersionAttributes_failAtTableCreation() {
    assertThatThrownBy(() -> table(TwoVersions.class))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining("TwoVersions has two version attributes, 'revision' and 'version'");
  }

  @Test
  void noWriteToken_isAccepted_theLibraryKeepsTheTokenInTheItem() {
    assertThat(table(NoWriteToken.class).versionedTable().description().tokenAttribute())
        .isEqualTo("writeToken");
  }

  @Test
  void homeAttributeMissing_failsAtTableCreation() {
    assertThatThrownBy(() -> table(HomeAttributeMissing.class))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining(
            "the home-region attribute 'home_region' is not one of its attributes")
        .hasMessageContaining("[id, version, writeToken]");
  }

  @Test
  void homeAttributeMissingInAStaticSchema_failsAtTableCreation() {
    TableSchema<Customer> schema = Customer.staticSchema(GlobalTableTags.homeRegion("home"));

    assertThatThrownBy(() -> globalTables.table(enhanced.table(tableName, schema)))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining("the home-region attribute 'home' is not one of its attributes");
  }

  @Test
  void homeRegionWithAttributeAndResolver_failsAtTableCreation() {
    assertThatThrownBy(() -> table(HomeAttributeAndResolver.class))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining("both an attribute and a resolver");
  }

  @Test
  void homeRegionResolverWithoutNoArgConstructor_failsAtTableCreation() {
    assertThatThrownBy(() -> table(HomeResolverCannotBeCreated.class))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining("public no-argument constructor");
  }

  @Test
  void homeRegionResolver_routesByKey_andAnUnknownRegionIsRefusedWithNothingWritten() {
    ResolvedToIreland entity = new ResolvedToIreland();
    entity.setId("c-1");
    assertThat(table(ResolvedToIreland.class).create(entity).getVersion()).isEqualTo(1L);

    ResolvedToMars lost = new ResolvedToMars();
    lost.setId("c-2");
    assertThatThrownBy(() -> table(ResolvedToMars.class).create(lost))
        .isInstanceOf(UnknownRegionException.class)
        .hasMessageContaining("mars-north-1");
    assertThat(client.scan(r -> r.tableName(tableName)).count()).isEqualTo(1);
  }

  @Test
  void sdkVersionAttributeOnTheSameAttribute_isRefused() {
    assertThatThrownBy(() -> table(AlsoSdkVersioned.class))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining(
            "'version' is both @Versioned and the SDK's @DynamoDbVersionAttribute");
  }

  @Test
  void sdkVersionAttributeOnAnotherAttribute_isRefused() {
    assertThatThrownBy(() -> table(SdkVersionedElsewhere.class))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining("two version attributes, 'revision'");
  }

  @Test
  void sdkVersionAttributeAlone_isRefusedWithTheReplacement() {
    assertThatThrownBy(() -> table(OnlySdkVersioned.class))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining("replace it with @Versioned");
  }

  @Test
  void clientWithTheDefaultExtensions_isRefused() {
    DynamoDbEnhancedClient defaults =
        DynamoDbEnhancedClient.builder().dynamoDbClient(client).build();

    assertThatThrownBy(
            () ->
                globalTables.table(defaults.table(tableName, TableSchema.fromBean(Customer.class))))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining("does not run GlobalTablesExtension");
  }

  @Test
  void extensionDroppedByALaterExtensionsCall_isRefused() {
    DynamoDbEnhancedClient dropped =
        DynamoDbEnhancedClient.builder()
            .dynamoDbClient(client)
            .extensions(globalTables)
            .extensions(VersionedRecordExtension.builder().build())
            .build();

    assertThatThrownBy(
            () ->
                globalTables.table(dropped.table(tableName, TableSchema.fromBean(Customer.class))))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining("each extensions(...) call replaces the whole list");
  }

  @Test
  void extensionsWithoutTheSdkDefaults_isRefused_soOtherEntitiesKeepTheirLocking() {
    DynamoDbEnhancedClient withoutDefaults =
        DynamoDbEnhancedClient.builder().dynamoDbClient(client).extensions(globalTables).build();

    assertThatThrownBy(
            () ->
                globalTables.table(
                    withoutDefaults.table(tableName, TableSchema.fromBean(Customer.class))))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining(
            "runs GlobalTablesExtension without the SDK's VersionedRecordExtension and"
                + " AtomicCounterExtension")
        .hasMessageContaining("globalTables.enhancedClient()");
  }

  @Test
  void extensionWithOnlyOneOfTheSdkDefaults_namesTheMissingOne() {
    DynamoDbEnhancedClient withoutCounters =
        DynamoDbEnhancedClient.builder()
            .dynamoDbClient(client)
            .extensions(VersionedRecordExtension.builder().build(), globalTables)
            .build();

    assertThatThrownBy(
            () ->
                globalTables.table(
                    withoutCounters.table(tableName, TableSchema.fromBean(Customer.class))))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining("without the SDK's AtomicCounterExtension, so other entities")
        .hasMessageContaining("@DynamoDbAtomicCounter increments");
  }

  @Test
  void enhancedClientOfTheExtension_runsTheSdkDefaultsAndIsAccepted() {
    assertThatCode(
            () ->
                globalTables.table(
                    globalTables
                        .enhancedClient()
                        .table(tableName, TableSchema.fromBean(Customer.class))))
        .doesNotThrowAnyException();
  }

  @Test
  void extensionInAChainWithOthers_isAccepted() {
    DynamoDbEnhancedClient chained =
        DynamoDbEnhancedClient.builder()
            .dynamoDbClient(client)
            .extensions(
                AtomicCounterExtension.builder().build(),
                globalTables,
                VersionedRecordExtension.builder().build())
            .build();

    assertThatCode(
            () ->
                globalTables.table(chained.table(tableName, TableSchema.fromBean(Customer.class))))
        .doesNotThrowAnyException();
  }

  @Test
  void ulidSortKeyThatIsNotTheSortKey_isRefused() {
    assertThatThrownBy(
            () ->
                globalTables.appendOnlyTable(
                    enhanced.table(tableName, TableSchema.fromBean(UlidOnAPlainAttribute.class))))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining("@UlidSortKey is on 'eventId', which is not the table's sort key");
  }

  @Test
  void versionedEntityAsAppendOnly_isRefused() {
    assertThatThrownBy(
            () ->
                globalTables.appendOnlyTable(
                    enhanced.table(tableName, TableSchema.fromBean(Customer.class))))
        .isInstanceOf(InvalidEntityException.class)
        .hasMessageContaining("has no @UlidSortKey");
  }

  @Test
  void isVersioned_byAnnotationOrTag_notForOtherEntities() {
    assertThat(GlobalTableTags.isVersioned(TableSchema.fromBean(Customer.class))).isTrue();
    assertThat(GlobalTableTags.isVersioned(Customer.staticSchema())).isTrue();
    assertThat(GlobalTableTags.isVersioned(TableSchema.fromBean(CustomerEvent.class))).isFalse();
    assertThat(GlobalTableTags.isVersioned(TableSchema.fromBean(OnlySdkVersioned.class))).isFalse();
  }
}
