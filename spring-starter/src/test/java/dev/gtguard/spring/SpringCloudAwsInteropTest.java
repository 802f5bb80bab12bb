package dev.gtguard.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.RegionClients;
import dev.gtguard.exception.VersionConflictException;
import dev.gtguard.spring.autoconfigure.GtguardAutoConfiguration;
import dev.gtguard.spring.fixtures.AuditEvent;
import dev.gtguard.spring.fixtures.Subscriber;
import dev.gtguard.spring.internal.VersionedTablesEnhancedClient;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.dynamodb.DynamoDbAutoConfiguration;
import io.awspring.cloud.dynamodb.DynamoDbTemplate;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * With spring-cloud-aws 4.1's DynamoDB starter next to ours: its {@code DynamoDbTemplate} runs on
 * our Enhanced Client, so it saves, updates and deletes {@code @Versioned} entities at the version
 * they were read at (instead of being refused, or deleting a newer version unchecked), keeps the
 * SDK's own optimistic locking for other entities, and both templates agree on table names.
 */
@DynamoDbLocalTest
class SpringCloudAwsInteropTest {
  private ApplicationContextRunner runner;
  private String suffix;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    suffix = "-" + UUID.randomUUID().toString().substring(0, 8);
    LocalDynamoDb.createTable(ddb.client(), "subscriber" + suffix, "id", null);
    LocalDynamoDb.createTable(ddb.client(), "audit_event" + suffix, "id", null);
    runner =
        new ApplicationContextRunner()
            .withConfiguration(
                AutoConfigurations.of(
                    GtguardAutoConfiguration.class,
                    AwsAutoConfiguration.class,
                    CredentialsProviderAutoConfiguration.class,
                    RegionProviderAutoConfiguration.class,
                    DynamoDbAutoConfiguration.class))
            .withPropertyValues(
                "spring.cloud.aws.credentials.access-key=local",
                "spring.cloud.aws.credentials.secret-key=local",
                "spring.cloud.aws.region.static=eu-west-1",
                "spring.cloud.aws.dynamodb.endpoint=" + ddb.endpoint(),
                "spring.cloud.aws.dynamodb.table-suffix=" + suffix,
                "gtguard.regions[0].name=eu-west-1",
                "gtguard.regions[0].endpoint=" + ddb.endpoint());
  }

  @Test
  void theirTemplate_savesUpdatesAndDeletesVersionedEntities_atTheVersionRead() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(DynamoDbEnhancedClient.class);
          assertThat(context.getBean(DynamoDbEnhancedClient.class))
              .isInstanceOf(VersionedTablesEnhancedClient.class);
          DynamoDbTemplate template = context.getBean(DynamoDbTemplate.class);
          GtguardOperations gtguard = context.getBean(GtguardOperations.class);
          Key key = Key.builder().partitionValue("sub-1").build();

          template.save(new Subscriber("sub-1", "ada@example.com"));
          Subscriber v1 = template.load(key, Subscriber.class);
          assertThat(v1.getVersion()).isEqualTo(1L);
          assertThat(gtguard.get(Subscriber.class, key))
              .get()
              .extracting(Subscriber::getEmail)
              .isEqualTo("ada@example.com");

          v1.setEmail("ada@example.org");
          Subscriber v2 = template.update(v1);
          assertThat(v2.getVersion()).isEqualTo(2L);

          v1.setEmail("stale@example.org");
          assertThatThrownBy(() -> template.update(v1))
              .isInstanceOf(VersionConflictException.class);
          assertThatThrownBy(() -> template.delete(v1))
              .as("a delete at a stale version no longer deletes")
              .isInstanceOf(VersionConflictException.class);
          assertThat(template.load(key, Subscriber.class).getEmail()).isEqualTo("ada@example.org");

          template.delete(v2);
          assertThat(template.load(key, Subscriber.class)).isNull();
        });
  }

  @Test
  void otherEntities_keepTheSdksOptimisticLocking() {
    runner.run(
        context -> {
          DynamoDbTemplate template = context.getBean(DynamoDbTemplate.class);
          AuditEvent event = new AuditEvent("audit-1", "created");
          template.save(event);
          AuditEvent stored =
              template.load(Key.builder().partitionValue("audit-1").build(), AuditEvent.class);
          assertThat(stored.getRevision()).isEqualTo(1L);

          assertThatThrownBy(() -> template.save(event))
              .as("VersionedRecordExtension still checks the SDK's version attribute")
              .isInstanceOf(ConditionalCheckFailedException.class);
        });
  }

  @Test
  void regionAndCredentials_comeFromSpringCloudAws() {
    runner.run(
        context -> {
          RegionClients regions = context.getBean(RegionClients.class);
          assertThat(regions.localRegion()).isEqualTo("eu-west-1");
          assertThat(regions.local().serviceClientConfiguration().credentialsProvider())
              .isSameAs(context.getBean(AwsCredentialsProvider.class));
          assertThat(context.getBean(GtguardTableNameResolver.class).resolve(Subscriber.class))
              .isEqualTo("subscriber" + suffix);
        });
  }
}
