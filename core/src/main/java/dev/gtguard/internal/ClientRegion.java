package dev.gtguard.internal;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;

/** The region a client was configured for, as events and exceptions name it. */
public final class ClientRegion {
  private ClientRegion() {}

  public static String of(DynamoDbClient client) {
    DynamoDbServiceClientConfiguration config = client.serviceClientConfiguration();
    return config == null || config.region() == null ? "unknown" : config.region().id();
  }
}
