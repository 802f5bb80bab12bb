package dev.gtguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.spring.autoconfigure.GtguardAutoConfiguration;
import dev.gtguard.spring.autoconfigure.GtguardHealthAutoConfiguration;
import dev.gtguard.spring.health.GtguardHealthIndicator;
import dev.gtguard.testkit.LocalDynamoDb;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The {@code gtguard} health on two regions of the local Global Table: all UP, a remote region DOWN
 * (UP overall, the region listed), the local region DOWN (missing table, unreachable, or too slow
 * to answer), and a probe that never takes longer than its bound.
 */
@LocalGlobalTableTest(regions = {"eu-west-1", "us-east-1"})
class GtguardHealthTest {
  private static final String EU = "eu-west-1";
  private static final String US = "us-east-1";

  private LocalGlobalTable global;
  private String suffix;

  @BeforeEach
  void setUp(LocalGlobalTable global) {
    this.global = global;
  }

  /** A context whose regions have these endpoints, with the subscriber table registered. */
  private ApplicationContextRunner runner(URI eu, URI us) {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                GtguardAutoConfiguration.class, GtguardHealthAutoConfiguration.class))
        .withBean(AwsCredentialsProvider.class, LocalContexts::credentials)
        .withPropertyValues(
            "gtguard.local-region=" + EU,
            "gtguard.regions[0].name=" + EU,
            "gtguard.regions[0].endpoint=" + eu,
            "gtguard.regions[1].name=" + US,
            "gtguard.regions[1].endpoint=" + us,
            "gtguard.entity-packages=dev.gtguard.spring.fixtures",
            "gtguard.table-suffix=" + suffix,
            "gtguard.health.timeout=1s");
  }

  private void replicatedTable() {
    String name = global.createTable("subscriber", "id");
    suffix = name.substring("subscriber".length());
  }

  private URI endpoint(String region) {
    return global.server(region).endpoint();
  }

  @Test
  void everyRegionAnswers_up_withEachTablesStatusAndTheLatency() {
    replicatedTable();
    runner(endpoint(EU), endpoint(US))
        .run(
            context -> {
              Health health = context.getBean(GtguardHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails())
                  .containsEntry("localRegion", EU)
                  .containsEntry("unavailableRegions", List.of());
              Map<String, Map<String, Object>> regions = regions(health);
              assertThat(regions).containsOnlyKeys(EU, US);
              for (Map<String, Object> region : regions.values()) {
                assertThat(region)
                    .containsEntry("status", "UP")
                    .containsEntry("tables", Map.of("subscriber" + suffix, "ACTIVE"))
                    .containsKey("latencyMs");
              }
            });
  }

  @Test
  void aRemoteRegionDown_isListed_butTheServiceStaysUp() throws IOException {
    replicatedTable();
    runner(endpoint(EU), closedPort())
        .run(
            context -> {
              Health health = context.getBean(GtguardHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails()).containsEntry("unavailableRegions", List.of(US));
              assertThat(regions(health).get(US))
                  .containsEntry("status", "DOWN")
                  .containsKey("error");
              assertThat(regions(health).get(EU)).containsEntry("status", "UP");
            });
  }

  @Test
  void aLocalTableMissing_isDown() {
    suffix = LocalContexts.uniqueSuffix();
    LocalDynamoDb.createTable(global.server(US).client(), "subscriber" + suffix, "id", null);
    runner(endpoint(EU), endpoint(US))
        .run(
            context -> {
              Health health = context.getBean(GtguardHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.DOWN);
              assertThat(regions(health).get(EU))
                  .containsEntry("status", "DOWN")
                  .containsEntry("tables", Map.of("subscriber" + suffix, "MISSING"));
              assertThat(regions(health).get(US)).containsEntry("status", "UP");
            });
  }

  @Test
  void theLocalRegionUnreachable_isDown() throws IOException {
    replicatedTable();
    runner(closedPort(), endpoint(US))
        .run(
            context -> {
              Health health = context.getBean(GtguardHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.DOWN);
              assertThat(health.getDetails()).containsEntry("unavailableRegions", List.of(EU));
            });
  }

  @Test
  void aRegionThatNeverAnswers_isDown_withinTheBound() throws IOException {
    replicatedTable();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      URI hanging = URI.create("http://127.0.0.1:" + silent.getLocalPort());
      runner(hanging, endpoint(US))
          .run(
              context -> {
                long start = System.nanoTime();
                Health health = context.getBean(GtguardHealthIndicator.class).health();
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(took).isLessThan(Duration.ofSeconds(3));
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(regions(health).get(EU)).containsEntry("status", "DOWN");
                assertThat(regions(health).get(US)).containsEntry("status", "UP");
              });
    }
  }

  @Test
  void withoutATable_unknown() {
    suffix = LocalContexts.uniqueSuffix();
    runner(endpoint(EU), endpoint(US))
        .withPropertyValues("gtguard.entity-packages=dev.gtguard.spring.none")
        .run(
            context ->
                assertThat(context.getBean(GtguardHealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.UNKNOWN));
  }

  @Test
  void switchedOff_orWithoutBootsHealthModule_noIndicator() {
    suffix = LocalContexts.uniqueSuffix();
    runner(endpoint(EU), endpoint(US))
        .withPropertyValues("management.health.gtguard.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(GtguardHealthIndicator.class));
    runner(endpoint(EU), endpoint(US))
        .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(GtguardHealthIndicator.class);
            });
    runner(endpoint(EU), endpoint(US))
        .withPropertyValues("gtguard.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(GtguardHealthIndicator.class));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> regions(Health health) {
    return (Map<String, Map<String, Object>>) health.getDetails().get("regions");
  }

  /** An endpoint where nothing listens: connections are refused at once. */
  private static URI closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }
}
