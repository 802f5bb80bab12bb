package dev.gtguard.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.exception.RetriesExhaustedException;
import dev.gtguard.spi.WriteConflict;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spi.WriteSucceeded;
import dev.gtguard.spring.autoconfigure.GtguardAutoConfiguration;
import dev.gtguard.spring.autoconfigure.GtguardMetricsAutoConfiguration;
import dev.gtguard.spring.fixtures.Subscriber;
import dev.gtguard.spring.metrics.GtguardMetrics;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.enhanced.dynamodb.Key;

/**
 * Writes through the template on DynamoDB Local, and what the meters and the application's own
 * listeners heard of them.
 */
@DynamoDbLocalTest
class GtguardMetricsTest {
  private static final Key KEY = Key.builder().partitionValue("sub-1").build();

  private ApplicationContextRunner runner;
  private String table;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    String suffix = LocalContexts.uniqueSuffix();
    table = "subscriber" + suffix;
    LocalDynamoDb.createTable(ddb.client(), table, "id", null);
    runner =
        LocalContexts.oneRegion(
                ddb, suffix, GtguardAutoConfiguration.class, GtguardMetricsAutoConfiguration.class)
            .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
            // The competing writes below come from inside an update function, through the same
            // table: only concurrent updates let it write while that update is under way.
            .withPropertyValues("gtguard.same-item-updates=concurrent");
  }

  @Test
  void aConflictAndItsRetry_areCounted_byTableRegionOperationAndKind() {
    runner.run(
        context -> {
          GtguardOperations gtguard = context.getBean(GtguardOperations.class);
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          gtguard.create(new Subscriber("sub-1", "ada@example.com"));

          Subscriber updated = gtguard.update(Subscriber.class, KEY, competingWriteOnce(gtguard));

          assertThat(updated.getVersion()).isEqualTo(3L);
          assertThat(updated.getCount()).as("the competing write survived").isEqualTo(1L);
          assertThat(count(registry, GtguardMetrics.WRITES, "operation", "create")).isEqualTo(1);
          assertThat(count(registry, GtguardMetrics.WRITES, "operation", "update")).isEqualTo(2);
          assertThat(
                  registry
                      .get(GtguardMetrics.CONFLICTS)
                      .tags("table", table, "region", "eu-west-1")
                      .tags("operation", "update", "kind", "version_mismatch")
                      .counter()
                      .count())
              .isEqualTo(1);
          assertThat(registry.get(GtguardMetrics.RETRIES).tags("table", table).counter().count())
              .isEqualTo(1);
          DistributionSummary attempts =
              registry.get(GtguardMetrics.ATTEMPTS).tags("operation", "update").summary();
          assertThat(attempts.count()).isEqualTo(2);
          assertThat(attempts.totalAmount())
              .as("1 for the competing write, 2 for ours")
              .isEqualTo(3);
          assertThat(attempts.max()).isEqualTo(2);
          assertThat(everyTagValue(registry)).doesNotContain("sub-1");
        });
  }

  @Test
  void everyApplicationListener_hearsTheWritesAndTheConflict_inOrder() {
    List<String> heard = new CopyOnWriteArrayList<>();
    runner
        .withBean(
            "audit",
            WriteListener.class,
            () ->
                new WriteListener() {
                  @Override
                  public void onWriteSucceeded(WriteSucceeded e) {
                    heard.add(e.operation() + " v" + e.version());
                  }

                  @Override
                  public void onConflict(WriteConflict e) {
                    heard.add("conflict: expected v" + e.expectedVersion());
                  }
                })
        .run(
            context -> {
              GtguardOperations gtguard = context.getBean(GtguardOperations.class);
              gtguard.create(new Subscriber("sub-1", "ada@example.com"));

              gtguard.update(Subscriber.class, KEY, competingWriteOnce(gtguard));

              assertThat(heard)
                  .containsExactly("CREATE v1", "UPDATE v2", "conflict: expected v1", "UPDATE v3");
            });
  }

  @Test
  void retriesExhausted_isCounted_withTheRetrySettingAndATableCustomizer() {
    runner
        .withPropertyValues("gtguard.retry.max-attempts=5")
        .withBean(
            GtguardTableCustomizer.class,
            () ->
                (tableName, type, options) ->
                    options.retryPolicy(
                        dev.gtguard.ConflictRetryPolicy.builder().maxAttempts(1).build()))
        .run(
            context -> {
              GtguardOperations gtguard = context.getBean(GtguardOperations.class);
              gtguard.create(new Subscriber("sub-1", "ada@example.com"));

              assertThatThrownBy(
                      () -> gtguard.update(Subscriber.class, KEY, competingWriteOnce(gtguard)))
                  .isInstanceOf(RetriesExhaustedException.class);

              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(count(registry, GtguardMetrics.RETRIES_EXHAUSTED, "table", table))
                  .isEqualTo(1);
              assertThat(registry.find(GtguardMetrics.RETRIES).counter()).isNull();
            });
  }

  @Test
  void withoutAMeterRegistry_orWithoutMicrometer_noMetrics() {
    ApplicationContextRunner withoutRegistry =
        new ApplicationContextRunner()
            .withConfiguration(
                org.springframework.boot.autoconfigure.AutoConfigurations.of(
                    GtguardAutoConfiguration.class, GtguardMetricsAutoConfiguration.class))
            .withPropertyValues("gtguard.local-region=eu-west-1");
    withoutRegistry.run(context -> assertThat(context).doesNotHaveBean(GtguardMetrics.class));
    withoutRegistry
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(GtguardMetrics.class);
            });
    runner
        .withPropertyValues("gtguard.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(GtguardMetrics.class));
  }

  /** An update function that, the first time only, lets another writer increment the count. */
  private static java.util.function.UnaryOperator<Subscriber> competingWriteOnce(
      GtguardOperations gtguard) {
    AtomicBoolean first = new AtomicBoolean(true);
    return s -> {
      if (first.getAndSet(false)) {
        gtguard.update(
            Subscriber.class,
            KEY,
            other -> {
              other.setCount(other.getCount() == null ? 1 : other.getCount() + 1);
              return other;
            });
      }
      s.setEmail("ada@example.org");
      return s;
    };
  }

  private static double count(MeterRegistry registry, String name, String tag, String value) {
    return registry.get(name).tags(tag, value).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static List<String> everyTagValue(MeterRegistry registry) {
    return registry.getMeters().stream()
        .map(Meter::getId)
        .flatMap(id -> id.getTags().stream())
        .map(Tag::getValue)
        .toList();
  }
}
