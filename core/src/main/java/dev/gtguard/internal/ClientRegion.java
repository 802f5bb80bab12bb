package dev.gtguard.internal;

import software.amazon.awssdk.awscore.AwsServiceClientConfiguration;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkServiceClientConfiguration;

/** The region a client was configured for, as events and exceptions name it. */
public final class ClientRegion {
  private ClientRegion() {}

  /** The client's configured region id, or {@code "unknown"}. */
  public static String of(SdkClient client) {
    SdkServiceClientConfiguration config = client.serviceClientConfiguration();
    return config instanceof AwsServiceClientConfiguration aws && aws.region() != null
        ? aws.region().id()
        : "unknown";
  }
}
