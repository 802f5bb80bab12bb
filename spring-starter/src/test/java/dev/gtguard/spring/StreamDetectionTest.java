package dev.gtguard.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.enhanced.VersionedEntityTable;
import dev.gtguard.spring.autoconfigure.GtguardAutoConfiguration;
import dev.gtguard.spring.autoconfigure.GtguardMetricsAutoConfiguration;
import dev.gtguard.spring.autoconfigure.GtguardStreamDetectionAutoConfiguration;
import dev.gtguard.spring.detect.StreamDetectionLifecycle;
import dev.gtguard.spring.fixtures.Subscriber;
import dev.gtguard.spring.metrics.GtguardMetrics;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.enhanced.dynamodb.Key;

/**
 * With {@code gtguard.detection.stream.enabled}, the context runs a poller per region and entity
 * table: two regions write the same subscriber at version 2 before either write replicated, one
 * write is lost to last-writer-wins, and the loss reaches the meters.
 */
@LocalGlobalTableTest(
    regions = {"eu-west-1", "us-east-1"},
    lagMillis = 500)
class StreamDetectionTest {
  private static final String EU = "eu-west-1";
  private static final String US = "us-east-1";
  private static final Key KEY = Key.builder().partitionValue("sub-1").build();

  @Test
  void aLostWrite_isDetectedOnTheStreams_andCounted(LocalGlobalTable global) {
    String table = global.createTable("subscriber", "id");
    AtomicReference<StreamDetectionLifecycle> detection = new AtomicReference<>();
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                GtguardAutoConfiguration.class,
                GtguardStreamDetectionAutoConfiguration.class,
                GtguardMetricsAutoConfiguration.class))
        .withBean(AwsCredentialsProvider.class, LocalContexts::credentials)
        .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues(
            "gtguard.local-region=" + EU,
            "gtguard.regions[0].name=" + EU,
            "gtguard.regions[0].endpoint=" + global.server(EU).endpoint(),
            "gtguard.regions[1].name=" + US,
            "gtguard.regions[1].endpoint=" + global.server(US).endpoint(),
            "gtguard.entity-packages=dev.gtguard.spring.fixtures",
            "gtguard.table-suffix=" + table.substring("subscriber".length()),
            "gtguard.detection.stream.enabled=true",
            "gtguard.detection.stream.poll-interval=100ms")
        .run(
            context -> {
              StreamDetectionLifecycle lifecycle = context.getBean(StreamDetectionLifecycle.class);
              detection.set(lifecycle);
              assertThat(lifecycle.isRunning()).isTrue();
              assertThat(lifecycle.pollerCount()).as("1 table, 2 regions").isEqualTo(2);

              GtguardOperations gtguard = context.getBean(GtguardOperations.class);
              gtguard.create(new Subscriber("sub-1", "ada@example.com"));
              global.awaitQuiescence(Duration.ofSeconds(30));

              // The same item written at version 2 in both regions before replication.
              gtguard.update(
                  Subscriber.class,
                  KEY,
                  s -> {
                    s.setEmail("ada@example.org");
                    return s;
                  });
              VersionedEntityTable<Subscriber> subscribers =
                  context.getBean(GtguardTables.class).table(Subscriber.class);
              VersionedTable usWriter =
                  VersionedTable.builder()
                      .client(global.client(US))
                      .table(subscribers.versionedTable().description())
                      .build();
              VersionedItem us =
                  usWriter
                      .update(
                          ItemKey.of("id", "sub-1"),
                          item -> Changes.builder().set("count", 7).build())
                      .item();
              assertThat(us.version()).isEqualTo(2);
              global.awaitQuiescence(Duration.ofSeconds(30));

              MeterRegistry registry = context.getBean(MeterRegistry.class);
              await()
                  .atMost(Duration.ofSeconds(20))
                  .untilAsserted(
                      () ->
                          assertThat(
                                  registry
                                      .get(GtguardMetrics.LOST_WRITES)
                                      .tags("table", table, "source", "stream")
                                      .counter()
                                      .count())
                              .isEqualTo(1));
            });
    assertThat(detection.get().isRunning()).as("stopped with the context").isFalse();
    assertThat(detection.get().pollerCount()).isZero();
  }
}
