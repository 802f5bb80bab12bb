package dev.gtguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.spring.autoconfigure.GtguardAutoConfiguration;
import dev.gtguard.spring.fixtures.AuditEvent;
import dev.gtguard.spring.fixtures.PlainNote;
import dev.gtguard.spring.fixtures.Subscriber;
import io.awspring.cloud.dynamodb.DefaultDynamoDbTableNameResolver;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Table names follow spring-cloud-aws's convention, and its resolver when it has one. */
class TableNamesTest {

  @ParameterizedTest(name = "prefix={0} suffix={1} separator={2}")
  @CsvSource(
      nullValues = "null",
      value = {"null,null,null", "prod-,null,null", "null,-v2,null", "app.,.eu,-", "x_,_y,''"})
  void defaultResolver_namesEveryClassAsSpringCloudAwsDoes(
      String prefix, String suffix, String separator) {
    GtguardTableNameResolver ours = new DefaultGtguardTableNameResolver(prefix, suffix, separator);
    DefaultDynamoDbTableNameResolver theirs =
        new DefaultDynamoDbTableNameResolver(prefix, suffix, separator);
    for (Class<?> type :
        List.of(Subscriber.class, AuditEvent.class, PlainNote.class, HTTPRequestLog.class)) {
      assertThat(ours.resolve(type)).as(type.getSimpleName()).isEqualTo(theirs.resolve(type));
    }
    assertThat(new DefaultGtguardTableNameResolver("prod-", null, null).resolve(AuditEvent.class))
        .isEqualTo("prod-audit_event");
  }

  @Test
  void withSpringCloudAwsResolverBean_itNamesTheTables_unlessAGtguardNamingPropertyIsSet() {
    ApplicationContextRunner runner =
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GtguardAutoConfiguration.class))
            .withPropertyValues("gtguard.local-region=eu-west-1")
            .withBean(
                io.awspring.cloud.dynamodb.DynamoDbTableNameResolver.class,
                () -> new DefaultDynamoDbTableNameResolver("cloud-"));
    runner.run(
        context ->
            assertThat(context.getBean(GtguardTableNameResolver.class).resolve(Subscriber.class))
                .isEqualTo("cloud-subscriber"));
    runner
        .withPropertyValues("gtguard.table-prefix=own-")
        .run(
            context ->
                assertThat(
                        context.getBean(GtguardTableNameResolver.class).resolve(Subscriber.class))
                    .isEqualTo("own-subscriber"));
  }

  @Test
  void withoutSpringCloudAwsOnTheClassPath_theOwnConvention() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GtguardAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader("io.awspring.cloud"))
        .withPropertyValues("gtguard.local-region=eu-west-1", "gtguard.table-suffix=-test")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(GtguardTableNameResolver.class))
                  .isInstanceOf(DefaultGtguardTableNameResolver.class);
              assertThat(context.getBean(GtguardTableNameResolver.class).resolve(AuditEvent.class))
                  .isEqualTo("audit_event-test");
            });
  }

  /**
   * Consecutive capitals: every capital after the first starts a word, as spring-cloud-aws does.
   */
  static final class HTTPRequestLog {}
}
