package dev.gtguard.spring.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.RegionClients;
import dev.gtguard.SameItemUpdates;
import dev.gtguard.spring.GtguardClientCustomizer;
import dev.gtguard.spring.GtguardOperations;
import dev.gtguard.spring.GtguardTableCustomizer;
import dev.gtguard.spring.GtguardTableNameResolver;
import dev.gtguard.spring.GtguardTables;
import dev.gtguard.spring.autoconfigure.GtguardAutoConfiguration;
import dev.gtguard.spring.fixtures.Subscriber;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

/**
 * The bean examples of the starter's Javadoc, compiled as written there, and what they do in a
 * context.
 */
class JavadocExamplesTest {

  @Configuration(proxyBeanMethods = false)
  static class Examples {

    @Bean
    GtguardTableNameResolver tableNames(Environment env) {
      return type -> env.getRequiredProperty("tables." + type.getSimpleName());
    }

    @Bean
    GtguardClientCustomizer timeouts() {
      return (region, builder) ->
          builder.overrideConfiguration(
              o ->
                  o.apiCallTimeout(Duration.ofSeconds(2))
                      .apiCallAttemptTimeout(Duration.ofMillis(500)));
    }

    @Bean
    GtguardTableCustomizer hotCounters() {
      return (tableName, entityType, options) -> {
        if (entityType == PageViews.class) {
          options.retryPolicy(ConflictRetryPolicy.builder().maxAttempts(20).build());
        }
      };
    }

    @Bean
    ApplicationRunner smoke(RegionClients regions) {
      return args -> regions.local().describeTable(r -> r.tableName("subscriber"));
    }

    @Bean
    Subscribers subscribers(GtguardOperations gtguard) {
      return new Subscribers(gtguard);
    }
  }

  @Test
  void sameItemUpdates_property_reachesEveryEntityTable() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GtguardAutoConfiguration.class))
        .withUserConfiguration(Examples.class)
        .withPropertyValues(
            "gtguard.local-region=eu-west-1",
            "tables.Subscriber=subscribers-v2",
            "tables.PageViews=page-views",
            "gtguard.same-item-updates=combined")
        .run(
            context -> {
              GtguardTables tables = context.getBean(GtguardTables.class);
              assertThat(tables.table(Subscriber.class).versionedTable().sameItemUpdates())
                  .isEqualTo(SameItemUpdates.COMBINED);
              assertThat(tables.table(PageViews.class).versionedTable().sameItemUpdates())
                  .isEqualTo(SameItemUpdates.COMBINED);
            });
  }

  @Test
  void theExamples_nameTablesSetTimeoutsAndARetryPolicy() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GtguardAutoConfiguration.class))
        .withUserConfiguration(Examples.class)
        .withPropertyValues(
            "gtguard.local-region=eu-west-1",
            "tables.Subscriber=subscribers-v2",
            "tables.PageViews=page-views")
        .run(
            context -> {
              GtguardTables tables = context.getBean(GtguardTables.class);
              assertThat(tables.table(Subscriber.class).tableName()).isEqualTo("subscribers-v2");
              assertThat(tables.table(PageViews.class).tableName()).isEqualTo("page-views");
              assertThat(tables.table(PageViews.class).versionedTable().retryPolicy().maxAttempts())
                  .isEqualTo(20);
              assertThat(
                      tables.table(Subscriber.class).versionedTable().retryPolicy().maxAttempts())
                  .isEqualTo(ConflictRetryPolicy.ofDefaults().maxAttempts());
              assertThat(tables.table(Subscriber.class).versionedTable().sameItemUpdates())
                  .isEqualTo(SameItemUpdates.QUEUED);
              ClientOverrideConfiguration client =
                  context
                      .getBean(RegionClients.class)
                      .local()
                      .serviceClientConfiguration()
                      .overrideConfiguration();
              assertThat(client.apiCallTimeout()).contains(Duration.ofSeconds(2));
              assertThat(client.apiCallAttemptTimeout()).contains(Duration.ofMillis(500));
              assertThat(context).hasSingleBean(Subscribers.class);
            });
  }
}
