package dev.gtguard.spring.internal;

import dev.gtguard.spring.GtguardClientCustomizer;
import dev.gtguard.spring.autoconfigure.GtguardProperties;
import dev.gtguard.spring.autoconfigure.GtguardProperties.RegionProperties;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClientBuilder;

/**
 * Builds the clients of the configured regions: region, endpoint, the application's credentials
 * provider if it has one (else the SDK's default chain), then the customizers in order.
 */
public final class RegionClientFactory {
  private final GtguardProperties properties;
  private final AwsCredentialsProvider credentials;
  private final List<GtguardClientCustomizer> customizers;

  /**
   * @param credentials the application's provider, or null for the SDK's default chain
   */
  public RegionClientFactory(
      GtguardProperties properties,
      AwsCredentialsProvider credentials,
      List<GtguardClientCustomizer> customizers) {
    this.properties = properties;
    this.credentials = credentials;
    this.customizers = List.copyOf(customizers);
  }

  /**
   * The region this process runs in: {@code gtguard.local-region}, else the application's region
   * provider, else the SDK's chain; it must be one of {@code gtguard.regions}.
   *
   * @param provider the application's region provider, or null
   * @throws IllegalStateException if there is none, or it is not a configured region
   */
  public String localRegion(AwsRegionProvider provider) {
    String configured = properties.getLocalRegion();
    String source = "gtguard.local-region";
    String local = configured;
    if (local == null) {
      source = provider != null ? "the AwsRegionProvider bean" : "the SDK's region provider chain";
      try {
        local =
            (provider != null ? provider : new DefaultAwsRegionProviderChain()).getRegion().id();
      } catch (SdkClientException e) {
        throw new IllegalStateException(
            "gtguard.local-region is not set and "
                + source
                + " names no region: set gtguard.local-region (or AWS_REGION)",
            e);
      }
    }
    List<String> names = configuredNames();
    if (!names.isEmpty() && !names.contains(local)) {
      throw new IllegalStateException(
          "gtguard.local-region: the local region '"
              + local
              + "' (from "
              + source
              + ") is not one of gtguard.regions "
              + names
              + "; set gtguard.local-region or add the region");
    }
    return local;
  }

  /** Every region, the local one first: the configured ones, or the local one alone. */
  public List<String> regions(String localRegion) {
    List<String> regions = new ArrayList<>();
    regions.add(localRegion);
    configuredNames().stream().filter(r -> !r.equals(localRegion)).forEach(regions::add);
    return regions;
  }

  /** A new DynamoDB client of the region; the caller closes it. */
  public DynamoDbClient dynamoDb(String region) {
    DynamoDbClientBuilder builder = DynamoDbClient.builder().region(Region.of(region));
    endpoint(region).ifPresent(builder::endpointOverride);
    if (credentials != null) {
      builder.credentialsProvider(credentials);
    }
    customizers.forEach(c -> c.customize(region, builder));
    return builder.build();
  }

  /** A new DynamoDB Streams client of the region; the caller closes it. */
  public DynamoDbStreamsClient streams(String region) {
    DynamoDbStreamsClientBuilder builder =
        DynamoDbStreamsClient.builder().region(Region.of(region));
    Optional<RegionProperties> configured = configured(region);
    configured
        .map(r -> r.getStreamsEndpoint() != null ? r.getStreamsEndpoint() : r.getEndpoint())
        .ifPresent(builder::endpointOverride);
    if (credentials != null) {
      builder.credentialsProvider(credentials);
    }
    customizers.forEach(c -> c.customizeStreams(region, builder));
    return builder.build();
  }

  private Optional<URI> endpoint(String region) {
    return configured(region).map(RegionProperties::getEndpoint);
  }

  private Optional<RegionProperties> configured(String region) {
    return properties.getRegions().stream().filter(r -> region.equals(r.getName())).findFirst();
  }

  private List<String> configuredNames() {
    return properties.getRegions().stream().map(RegionProperties::getName).toList();
  }
}
