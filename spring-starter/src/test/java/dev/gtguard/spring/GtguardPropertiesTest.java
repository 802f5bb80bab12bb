package dev.gtguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.FailoverPolicy;
import dev.gtguard.RegionClients;
import dev.gtguard.SameItemUpdates;
import dev.gtguard.spring.autoconfigure.GtguardAutoConfiguration;
import dev.gtguard.spring.autoconfigure.GtguardProperties;
import dev.gtguard.spring.fixtures.Subscriber;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Binding of {@code gtguard.*}: from YAML-style properties and from environment variables, and a
 * startup that fails, naming the property, for each kind of bad setting.
 */
class GtguardPropertiesTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(GtguardAutoConfiguration.class))
          .withPropertyValues(
              "gtguard.regions[0].name=eu-west-1", "gtguard.regions[1].name=us-east-1");

  @Test
  void retryDefaults_areTheLibrarysDefaults() {
    GtguardProperties.Retry retry = new GtguardProperties().getRetry();
    dev.gtguard.ConflictRetryPolicy defaults = dev.gtguard.ConflictRetryPolicy.ofDefaults();
    assertThat(retry.getMaxAttempts()).isEqualTo(defaults.maxAttempts());
    assertThat(retry.getImmediateRetries()).isEqualTo(defaults.immediateRetries());
    assertThat(retry.getBaseDelay()).isEqualTo(defaults.baseDelay());
    assertThat(retry.getMaxDelay()).isEqualTo(defaults.maxDelay());
  }

  @Test
  void everySetting_binds() {
    runner
        .withPropertyValues(
            "gtguard.local-region=us-east-1",
            "gtguard.regions[1].endpoint=http://localhost:8001",
            "gtguard.regions[1].streams-endpoint=http://localhost:8002",
            "gtguard.failover-policy=write-locally",
            "gtguard.retry.max-attempts=3",
            "gtguard.retry.immediate-retries=1",
            "gtguard.same-item-updates=concurrent",
            "gtguard.retry.base-delay=5ms",
            "gtguard.retry.max-delay=2s",
            "gtguard.ledger.table-name=ledger",
            "gtguard.detection.stream.poll-interval=250ms",
            "gtguard.health.timeout=500ms",
            "gtguard.web.problem-details.enabled=false",
            "gtguard.table-prefix=prod-")
        .run(
            context -> {
              GtguardProperties properties = context.getBean(GtguardProperties.class);
              assertThat(properties.getFailoverPolicy()).isEqualTo(FailoverPolicy.WRITE_LOCALLY);
              assertThat(properties.getRetry().getMaxAttempts()).isEqualTo(3);
              assertThat(properties.getRetry().getImmediateRetries()).isEqualTo(1);
              assertThat(properties.getSameItemUpdates()).isEqualTo(SameItemUpdates.CONCURRENT);
              assertThat(properties.getRetry().getBaseDelay()).isEqualTo(Duration.ofMillis(5));
              assertThat(properties.getRetry().getMaxDelay()).isEqualTo(Duration.ofSeconds(2));
              assertThat(properties.getRegions().get(1).getStreamsEndpoint())
                  .isEqualTo(URI.create("http://localhost:8002"));
              assertThat(properties.getDetection().getStream().getPollInterval())
                  .isEqualTo(Duration.ofMillis(250));
              assertThat(properties.getHealth().getTimeout()).isEqualTo(Duration.ofMillis(500));
              assertThat(properties.getWeb().getProblemDetails().isEnabled()).isFalse();
              assertThat(context.getBean(GtguardTableNameResolver.class).resolve(Subscriber.class))
                  .isEqualTo("prod-subscriber");
            });
  }

  @Test
  void theRegionsList_bindsFromEnvironmentVariables() {
    Map<String, Object> env =
        Map.of(
            "GTGUARD_LOCAL_REGION", "us-east-1",
            "GTGUARD_REGIONS_0_NAME", "us-east-1",
            "GTGUARD_REGIONS_1_NAME", "eu-west-1",
            "GTGUARD_REGIONS_1_ENDPOINT", "http://localhost:8001");
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GtguardAutoConfiguration.class))
        .withInitializer(
            context ->
                context
                    .getEnvironment()
                    .getPropertySources()
                    .addFirst(
                        new SystemEnvironmentPropertySource(
                            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env)))
        .run(
            context -> {
              RegionClients regions = context.getBean(RegionClients.class);
              assertThat(regions.localRegion()).isEqualTo("us-east-1");
              assertThat(regions.regions()).containsExactly("us-east-1", "eu-west-1");
              assertThat(
                      regions.client("eu-west-1").serviceClientConfiguration().endpointOverride())
                  .contains(URI.create("http://localhost:8001"));
            });
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "gtguard.local-region|ap-south-1|gtguard.local-region 'ap-south-1' is not one of gtguard.regions [eu-west-1, us-east-1]",
        "gtguard.local-region|' '|gtguard.local-region must not be blank",
        "gtguard.regions[1].name|eu-west-1|gtguard.regions[1].name 'eu-west-1' is configured twice (also gtguard.regions[0].name)",
        "gtguard.regions[1].name|''|gtguard.regions[1].name is required",
        "gtguard.regions[0].endpoint|localhost:8001|gtguard.regions[0].endpoint 'localhost:8001' is not an http(s) URL",
        "gtguard.regions[0].streams-endpoint|ftp://host|gtguard.regions[0].streams-endpoint 'ftp://host' is not an http(s) URL",
        "gtguard.retry.base-delay|fast|gtguard.retry.base-delay",
        "gtguard.retry.base-delay|5s|gtguard.retry.base-delay PT5S must not exceed gtguard.retry.max-delay PT1S",
        "gtguard.retry.max-delay|-1s|gtguard.retry.max-delay must not be negative",
        "gtguard.retry.max-attempts|0|gtguard.retry.max-attempts must be at least 1, was 0",
        "gtguard.retry.immediate-retries|-1|gtguard.retry.immediate-retries must not be negative, was -1",
        "gtguard.failover-policy|sometimes|gtguard.failover-policy",
        "gtguard.ledger.retention|0s|gtguard.ledger.retention must be positive",
        "gtguard.detection.stream.poll-interval|0ms|gtguard.detection.stream.poll-interval must be positive",
        "gtguard.health.timeout|soon|gtguard.health.timeout",
      })
  void aBadSetting_failsTheStartup_namingTheProperty(
      String property, String value, String message) {
    runner
        .withPropertyValues("gtguard.local-region=eu-west-1", property + "=" + value)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Failures.messages(context.getStartupFailure())).contains(message);
            });
  }
}
