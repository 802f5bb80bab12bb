package dev.gtguard.spring;

import dev.gtguard.testkit.LocalDynamoDb;
import java.util.UUID;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Context runners whose gtguard talks to DynamoDB Local. */
final class LocalContexts {
  private LocalContexts() {}

  /** A suffix that gives each test its own tables: {@code subscriber-1a2b3c4d}. */
  static String uniqueSuffix() {
    return "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * One region, eu-west-1, on the given DynamoDB Local, with static credentials as an {@code
   * AwsCredentialsProvider} bean and table names ending in {@code suffix}.
   */
  static ApplicationContextRunner oneRegion(
      LocalDynamoDb ddb, String suffix, Class<?>... autoConfigurations) {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(autoConfigurations))
        .withBean(AwsCredentialsProvider.class, LocalContexts::credentials)
        .withPropertyValues(
            "gtguard.local-region=eu-west-1",
            "gtguard.regions[0].name=eu-west-1",
            "gtguard.regions[0].endpoint=" + ddb.endpoint(),
            "gtguard.table-suffix=" + suffix);
  }

  static AwsCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
  }
}
