package dev.gtguard.spring;

import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClientBuilder;

/**
 * Adjusts the builder of each region's client before the starter builds it: HTTP client, timeouts,
 * interceptors, retry strategy. Beans of this type are applied in {@code @Order} order, after the
 * starter has set the region, the endpoint and the credentials.
 *
 * <pre>{@code
 * @Bean
 * GtguardClientCustomizer timeouts() {
 *   return (region, builder) -> builder.overrideConfiguration(
 *       o -> o.apiCallTimeout(Duration.ofSeconds(2)).apiCallAttemptTimeout(Duration.ofMillis(500)));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface GtguardClientCustomizer {

  /** Adjusts the DynamoDB client of {@code region}. */
  void customize(String region, DynamoDbClientBuilder builder);

  /**
   * Adjusts the DynamoDB Streams client of {@code region}, which the stream pollers use ({@code
   * gtguard.detection.stream.enabled}). Default: nothing.
   */
  default void customizeStreams(String region, DynamoDbStreamsClientBuilder builder) {}
}
