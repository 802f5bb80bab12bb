package dev.gtguard.spring.autoconfigure;

import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.RegionClients;
import dev.gtguard.enhanced.GlobalTablesExtension;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spring.DefaultGtguardTableNameResolver;
import dev.gtguard.spring.GtguardClientCustomizer;
import dev.gtguard.spring.GtguardOperations;
import dev.gtguard.spring.GtguardTableCustomizer;
import dev.gtguard.spring.GtguardTableNameResolver;
import dev.gtguard.spring.GtguardTables;
import dev.gtguard.spring.GtguardTemplate;
import dev.gtguard.spring.internal.EntityTableRegistrar;
import dev.gtguard.spring.internal.RegionClientFactory;
import dev.gtguard.spring.internal.VersionedTablesEnhancedClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * gtguard for a Spring Boot application: a client per configured region, {@link RegionClients}, the
 * {@link GlobalTablesExtension} with every {@code WriteListener} bean (and the {@code WriteLedger},
 * with {@code gtguard.ledger.table-name}), {@link GtguardTables}, the {@link GtguardTemplate}, a
 * {@code VersionedEntityTable<T>} bean per scanned {@code @Versioned} entity class, and a {@code
 * DynamoDbEnhancedClient} that keeps the SDK's default extensions and hands out versioned tables
 * for versioned entities. Every bean backs off when the application defines one of its type; {@code
 * gtguard.enabled=false} switches all of it off.
 *
 * <p>Ordered before spring-cloud-aws's DynamoDB auto-configuration, whose {@code
 * DynamoDbEnhancedClient} then backs off: its {@code DynamoDbTemplate} saves, updates and deletes
 * {@code @Versioned} entities through the versioned tables. Credentials come from the application's
 * {@code AwsCredentialsProvider} bean (spring-cloud-aws defines one) if there is exactly one, else
 * from the SDK's default chain; the local region from {@code gtguard.local-region}, else an {@code
 * AwsRegionProvider} bean, else the SDK's chain.
 */
@AutoConfiguration(
    beforeName = "io.awspring.cloud.autoconfigure.dynamodb.DynamoDbAutoConfiguration",
    afterName = {
      "io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration",
      "io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration"
    })
@ConditionalOnClass({
  DynamoDbClient.class,
  DynamoDbEnhancedClient.class,
  GlobalTablesExtension.class
})
@ConditionalOnBooleanProperty(name = "gtguard.enabled", matchIfMissing = true)
@EnableConfigurationProperties(GtguardProperties.class)
@Import(EntityTableRegistrar.class)
public final class GtguardAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean({RegionClients.class, GtguardDynamoDbClients.class})
  GtguardDynamoDbClients gtguardDynamoDbClients(
      GtguardProperties properties,
      ObjectProvider<AwsCredentialsProvider> credentials,
      ObjectProvider<AwsRegionProvider> regionProvider,
      ObjectProvider<GtguardClientCustomizer> customizers) {
    RegionClientFactory factory = clientFactory(properties, credentials, customizers);
    String local = factory.localRegion(regionProvider.getIfUnique());
    Map<String, DynamoDbClient> clients = new LinkedHashMap<>();
    try {
      for (String region : factory.regions(local)) {
        clients.put(region, factory.dynamoDb(region));
      }
    } catch (RuntimeException e) {
      clients.values().forEach(DynamoDbClient::close);
      throw e;
    }
    return new GtguardDynamoDbClients(local, clients);
  }

  @Bean
  @ConditionalOnMissingBean
  RegionClients gtguardRegionClients(GtguardDynamoDbClients clients) {
    return clients.regionClients();
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty("gtguard.ledger.table-name")
  WriteLedger gtguardWriteLedger(GtguardProperties properties) {
    WriteLedger.Builder ledger =
        WriteLedger.builder().tableName(properties.getLedger().getTableName());
    if (properties.getLedger().getRetention() != null) {
      ledger.retention(properties.getLedger().getRetention());
    }
    return ledger.build();
  }

  @Bean
  @ConditionalOnMissingBean
  GlobalTablesExtension globalTablesExtension(
      RegionClients regions,
      ObjectProvider<WriteLedger> ledger,
      ObjectProvider<WriteListener> listeners) {
    GlobalTablesExtension.Builder extension = GlobalTablesExtension.builder().clients(regions);
    ledger.ifUnique(extension::ledger);
    listeners.orderedStream().forEach(extension::listener);
    return extension.build();
  }

  @Bean
  @ConditionalOnMissingBean
  GtguardTableNameResolver gtguardTableNameResolver(GtguardProperties properties) {
    return ownNames(properties);
  }

  @Bean
  @ConditionalOnMissingBean
  GtguardTables gtguardTables(
      GlobalTablesExtension extension,
      GtguardProperties properties,
      GtguardTableNameResolver names,
      ObjectProvider<TableSchema<?>> schemas,
      ObjectProvider<GtguardTableCustomizer> customizers) {
    GtguardProperties.Retry retry = properties.getRetry();
    ConflictRetryPolicy policy =
        ConflictRetryPolicy.builder()
            .maxAttempts(retry.getMaxAttempts())
            .immediateRetries(retry.getImmediateRetries())
            .baseDelay(retry.getBaseDelay())
            .maxDelay(retry.getMaxDelay())
            .build();
    GtguardTables.Builder tables =
        GtguardTables.builder(extension)
            .tableNames(names)
            .schemas(schemas.orderedStream().toList())
            .defaults(
                options ->
                    options
                        .failoverPolicy(properties.getFailoverPolicy())
                        .retryPolicy(policy)
                        .sameItemUpdates(properties.getSameItemUpdates()));
    customizers.orderedStream().forEach(tables::customizer);
    return tables.build();
  }

  @Bean
  @ConditionalOnMissingBean
  DynamoDbEnhancedClient dynamoDbEnhancedClient(GtguardTables tables) {
    return new VersionedTablesEnhancedClient(tables);
  }

  @Bean
  @ConditionalOnMissingBean(GtguardOperations.class)
  GtguardTemplate gtguardTemplate(GtguardTables tables) {
    return new GtguardTemplate(tables);
  }

  static RegionClientFactory clientFactory(
      GtguardProperties properties,
      ObjectProvider<AwsCredentialsProvider> credentials,
      ObjectProvider<GtguardClientCustomizer> customizers) {
    return new RegionClientFactory(
        properties, credentials.getIfUnique(), customizers.orderedStream().toList());
  }

  static GtguardTableNameResolver ownNames(GtguardProperties properties) {
    return new DefaultGtguardTableNameResolver(
        properties.getTablePrefix(), properties.getTableSuffix(), properties.getTableSeparator());
  }

  /**
   * With spring-cloud-aws: its {@code DynamoDbTableNameResolver} names the tables (so that {@code
   * DynamoDbTemplate} and {@code GtguardTemplate} agree), unless a {@code gtguard.table-*} property
   * is set.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.awspring.cloud.dynamodb.DynamoDbTableNameResolver")
  static class SpringCloudAwsTableNames {

    @Bean
    @ConditionalOnMissingBean
    GtguardTableNameResolver gtguardTableNameResolver(
        GtguardProperties properties,
        ObjectProvider<io.awspring.cloud.dynamodb.DynamoDbTableNameResolver> springCloudAws) {
      io.awspring.cloud.dynamodb.DynamoDbTableNameResolver theirs = springCloudAws.getIfUnique();
      boolean ownSettings =
          properties.getTablePrefix() != null
              || properties.getTableSuffix() != null
              || properties.getTableSeparator() != null;
      return theirs == null || ownSettings ? ownNames(properties) : theirs::resolve;
    }
  }
}
