package dev.gtguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.RegionClients;
import dev.gtguard.enhanced.GlobalTablesExtension;
import dev.gtguard.enhanced.VersionedEntityTable;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.spring.autoconfigure.GtguardAutoConfiguration;
import dev.gtguard.spring.autoconfigure.GtguardDynamoDbClients;
import dev.gtguard.spring.autoconfigure.GtguardHealthAutoConfiguration;
import dev.gtguard.spring.autoconfigure.GtguardMetricsAutoConfiguration;
import dev.gtguard.spring.autoconfigure.GtguardStreamDetectionAutoConfiguration;
import dev.gtguard.spring.autoconfigure.GtguardWebMvcAutoConfiguration;
import dev.gtguard.spring.detect.StreamDetectionLifecycle;
import dev.gtguard.spring.fixtures.Subscriber;
import dev.gtguard.spring.health.GtguardHealthIndicator;
import dev.gtguard.spring.internal.VersionedTablesEnhancedClient;
import dev.gtguard.spring.web.GtguardProblemDetails;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.Order;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * The beans, their conditions and their back-off, without a server: nothing is sent while a context
 * starts.
 */
class GtguardAutoConfigurationTest {
  private static final AutoConfigurations ALL =
      AutoConfigurations.of(
          GtguardAutoConfiguration.class,
          GtguardStreamDetectionAutoConfiguration.class,
          GtguardMetricsAutoConfiguration.class,
          GtguardHealthAutoConfiguration.class,
          GtguardWebMvcAutoConfiguration.class);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(ALL)
          .withPropertyValues(
              "gtguard.local-region=us-east-1",
              "gtguard.regions[0].name=eu-west-1",
              "gtguard.regions[0].endpoint=http://localhost:8001",
              "gtguard.regions[1].name=us-east-1");

  @Test
  void oneClientPerConfiguredRegion_localFirst_withItsEndpoint() {
    runner.run(
        context -> {
          RegionClients regions = context.getBean(RegionClients.class);
          assertThat(regions.localRegion()).isEqualTo("us-east-1");
          assertThat(regions.regions()).containsExactly("us-east-1", "eu-west-1");
          DynamoDbClient eu = regions.client("eu-west-1");
          assertThat(eu.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
          assertThat(eu.serviceClientConfiguration().endpointOverride())
              .contains(URI.create("http://localhost:8001"));
          assertThat(regions.local().serviceClientConfiguration().endpointOverride()).isEmpty();
          assertThat(context.getBean(GtguardDynamoDbClients.class).clients())
              .containsOnlyKeys("us-east-1", "eu-west-1");
          assertThat(context.getBeansOfType(DynamoDbClient.class))
              .as("the region clients are not DynamoDbClient beans: no ambiguity for the app")
              .isEmpty();
        });
  }

  @Test
  void withoutRegions_theLocalRegionAlone() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GtguardAutoConfiguration.class))
        .withPropertyValues("gtguard.local-region=eu-west-1")
        .run(
            context ->
                assertThat(context.getBean(RegionClients.class).regions())
                    .containsExactly("eu-west-1"));
  }

  @Test
  void definesEveryBean_ledgerAndStreamDetectionOnlyWhenAskedFor() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(GlobalTablesExtension.class);
          assertThat(context).hasSingleBean(GtguardTables.class);
          assertThat(context).hasSingleBean(GtguardTableNameResolver.class);
          assertThat(context).hasSingleBean(GtguardOperations.class);
          assertThat(context.getBean(GtguardOperations.class)).isInstanceOf(GtguardTemplate.class);
          assertThat(context.getBean(DynamoDbEnhancedClient.class))
              .isInstanceOf(VersionedTablesEnhancedClient.class);
          assertThat(context).doesNotHaveBean(WriteLedger.class);
          assertThat(context).doesNotHaveBean(StreamDetectionLifecycle.class);
          assertThat(context).hasSingleBean(GtguardHealthIndicator.class);
          assertThat(context)
              .as("not a web application")
              .doesNotHaveBean(GtguardProblemDetails.class);
        });
  }

  @Test
  void ledger_withATableName() {
    runner
        .withPropertyValues(
            "gtguard.ledger.table-name=gtguard-ledger", "gtguard.ledger.retention=30d")
        .run(
            context -> {
              WriteLedger ledger = context.getBean(WriteLedger.class);
              assertThat(ledger.tableName()).isEqualTo("gtguard-ledger");
              assertThat(ledger.retention()).contains(Duration.ofDays(30));
            });
  }

  @Test
  void disabled_definesNothing() {
    runner
        .withPropertyValues("gtguard.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(GtguardDynamoDbClients.class);
              assertThat(context).doesNotHaveBean(RegionClients.class);
              assertThat(context).doesNotHaveBean(GlobalTablesExtension.class);
              assertThat(context).doesNotHaveBean(GtguardOperations.class);
              assertThat(context).doesNotHaveBean(DynamoDbEnhancedClient.class);
              assertThat(context).doesNotHaveBean(GtguardHealthIndicator.class);
            });
  }

  @Test
  void withoutTheSdkEnhancedClientOrTheExtensionOnTheClassPath_backsOff() {
    for (Class<?> missing :
        List.of(DynamoDbClient.class, DynamoDbEnhancedClient.class, GlobalTablesExtension.class)) {
      runner
          .withClassLoader(new FilteredClassLoader(missing))
          .run(
              context -> {
                assertThat(context).as(missing.getSimpleName()).hasNotFailed();
                assertThat(context)
                    .as(missing.getSimpleName())
                    .doesNotHaveBean(RegionClients.class);
                assertThat(context)
                    .as(missing.getSimpleName())
                    .doesNotHaveBean(GtguardOperations.class);
              });
    }
  }

  @Test
  void applicationRegionClients_replaceTheStartersClients() {
    DynamoDbClient own =
        DynamoDbClient.builder().region(Region.AP_SOUTHEAST_1).credentialsProvider(local()).build();
    runner
        .withBean(RegionClients.class, () -> RegionClients.single(own))
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(GtguardDynamoDbClients.class);
              assertThat(context.getBean(RegionClients.class).local()).isSameAs(own);
              assertThat(context).hasSingleBean(GtguardOperations.class);
            });
    own.close();
  }

  @Test
  void everyOtherApplicationBean_replacesTheStartersOne() {
    GtguardTableNameResolver names = type -> "t";
    GtguardOperations operations = new GtguardTemplate(tablesStub());
    runner
        .withBean(GtguardTableNameResolver.class, () -> names)
        .withBean(GtguardOperations.class, () -> operations)
        .withBean(WriteLedger.class, () -> WriteLedger.builder().tableName("own-ledger").build())
        .run(
            context -> {
              assertThat(context.getBean(GtguardTableNameResolver.class)).isSameAs(names);
              assertThat(context.getBean(GtguardOperations.class)).isSameAs(operations);
              assertThat(context.getBean(WriteLedger.class).tableName()).isEqualTo("own-ledger");
              assertThat(context.getBean(GtguardTables.class).table(Subscriber.class).tableName())
                  .isEqualTo("t");
            });
    runner
        .withBean(
            "own",
            DynamoDbEnhancedClient.class,
            () -> DynamoDbEnhancedClient.builder().dynamoDbClient(ownClient()).build())
        .withBean("ownExtension", GlobalTablesExtension.class, this::ownExtension)
        .run(
            context -> {
              assertThat(context.getBean(DynamoDbEnhancedClient.class))
                  .isNotInstanceOf(VersionedTablesEnhancedClient.class);
              assertThat(context.getBeanNamesForType(GlobalTablesExtension.class))
                  .containsExactly("ownExtension");
            });
  }

  @Test
  void credentialsProviderBean_isEveryClients() {
    AwsCredentialsProvider credentials = local();
    runner
        .withBean(AwsCredentialsProvider.class, () -> credentials)
        .run(
            context -> {
              for (DynamoDbClient client :
                  context.getBean(GtguardDynamoDbClients.class).clients().values()) {
                assertThat(client.serviceClientConfiguration().credentialsProvider())
                    .isSameAs(credentials);
              }
            });
  }

  @Test
  void customizers_runInOrder_afterRegionAndEndpoint() {
    List<String> calls = new ArrayList<>();
    runner
        .withBean(SecondCustomizer.class, () -> new SecondCustomizer(calls))
        .withBean(FirstCustomizer.class, () -> new FirstCustomizer(calls))
        .run(
            context -> {
              assertThat(calls)
                  .containsExactly(
                      "first us-east-1", "second us-east-1", "first eu-west-1", "second eu-west-1");
              DynamoDbClient eu = context.getBean(RegionClients.class).client("eu-west-1");
              assertThat(eu.serviceClientConfiguration().overrideConfiguration().apiCallTimeout())
                  .as("the later customizer's setting")
                  .contains(Duration.ofSeconds(2));
            });
  }

  @Test
  void regionProviderBean_namesTheLocalRegion_whenNotSet() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GtguardAutoConfiguration.class))
        .withPropertyValues(
            "gtguard.regions[0].name=eu-west-1", "gtguard.regions[1].name=us-east-1")
        .withBean(AwsRegionProvider.class, () -> () -> Region.EU_WEST_1)
        .run(
            context ->
                assertThat(context.getBean(RegionClients.class).localRegion())
                    .isEqualTo("eu-west-1"));
  }

  @Test
  void regionProviderNamingAnotherRegion_failsNamingTheProperty() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GtguardAutoConfiguration.class))
        .withPropertyValues(
            "gtguard.regions[0].name=eu-west-1", "gtguard.regions[1].name=us-east-1")
        .withBean(AwsRegionProvider.class, () -> () -> Region.AP_SOUTH_1)
        .run(
            context ->
                assertThat(Failures.messages(context.getStartupFailure()))
                    .contains(
                        "gtguard.local-region: the local region 'ap-south-1' (from the"
                            + " AwsRegionProvider bean) is not one of gtguard.regions"));
  }

  @Test
  void closingTheContext_closesTheClients() {
    List<RecordingHttpClient> http = new ArrayList<>();
    runner
        .withBean(
            GtguardClientCustomizer.class,
            () ->
                (region, builder) ->
                    builder.httpClientBuilder(
                        defaults -> {
                          RecordingHttpClient client = new RecordingHttpClient();
                          http.add(client);
                          return client;
                        }))
        .run(context -> assertThat(http).hasSize(2).noneMatch(c -> c.closed.get()));
    assertThat(http).hasSize(2).allMatch(c -> c.closed.get());
  }

  @Test
  void versionedEntities_inTheConfiguredPackages_becomeTableBeansByGenericType() {
    runner
        .withPropertyValues("gtguard.entity-packages=dev.gtguard.spring.fixtures")
        .run(
            context -> {
              String[] tables =
                  context.getBeanNamesForType(
                      ResolvableType.forClassWithGenerics(
                          VersionedEntityTable.class, Subscriber.class));
              assertThat(tables).containsExactly("subscriberTable");
              assertThat(context.getBeanNamesForType(VersionedEntityTable.class))
                  .as("AuditEvent (SDK-versioned) and PlainNote are no gtguard entities")
                  .containsExactly("subscriberTable");
              assertThat(
                      context.getBeanNamesForType(
                          ResolvableType.forClassWithGenerics(
                              DynamoDbTable.class, Subscriber.class)))
                  .as("also injectable as DynamoDbTable<Subscriber>")
                  .containsExactly("subscriberTable");
              VersionedEntityTable<?> table =
                  context.getBean("subscriberTable", VersionedEntityTable.class);
              assertThat(table.tableName()).isEqualTo("subscriber");
              assertThat(table)
                  .as("the table the template uses")
                  .isSameAs(context.getBean(GtguardTables.class).table(Subscriber.class));
            });
  }

  @Test
  void anApplicationTableBean_keepsTheStarterFromRegisteringOne() {
    runner
        .withPropertyValues("gtguard.entity-packages=dev.gtguard.spring.fixtures")
        .withUserConfiguration(OwnSubscriberTable.class)
        .run(
            context ->
                assertThat(context.getBeanNamesForType(VersionedEntityTable.class))
                    .containsExactly("ownSubscribers"));
  }

  @Test
  void withoutEntityPackagesOrAnAutoConfigurationPackage_noTableBeans() {
    runner.run(
        context -> assertThat(context.getBeanNamesForType(VersionedEntityTable.class)).isEmpty());
  }

  private GtguardTables tablesStub() {
    return GtguardTables.builder(ownExtension()).build();
  }

  private GlobalTablesExtension ownExtension() {
    return GlobalTablesExtension.builder().client(ownClient()).build();
  }

  private static DynamoDbClient ownClient() {
    return DynamoDbClient.builder().region(Region.EU_WEST_1).credentialsProvider(local()).build();
  }

  static AwsCredentialsProvider local() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
  }

  @Order(1)
  record FirstCustomizer(List<String> calls) implements GtguardClientCustomizer {
    @Override
    public void customize(String region, DynamoDbClientBuilder builder) {
      calls.add("first " + region);
      builder.overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(1)));
    }
  }

  @Order(2)
  record SecondCustomizer(List<String> calls) implements GtguardClientCustomizer {
    @Override
    public void customize(String region, DynamoDbClientBuilder builder) {
      calls.add("second " + region);
      builder.overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(2)));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnSubscriberTable {
    @Bean
    VersionedEntityTable<Subscriber> ownSubscribers(GtguardTables tables) {
      return tables.table("own_subscribers", TableSchema.fromBean(Subscriber.class));
    }
  }

  /** An HTTP client that only records whether it was closed. */
  static final class RecordingHttpClient implements SdkHttpClient {
    final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      throw new UnsupportedOperationException("no requests in this test");
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }
}
