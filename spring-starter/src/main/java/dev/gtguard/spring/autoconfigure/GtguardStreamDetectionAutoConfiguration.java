package dev.gtguard.spring.autoconfigure;

import dev.gtguard.RegionClients;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spring.GtguardClientCustomizer;
import dev.gtguard.spring.GtguardTables;
import dev.gtguard.spring.detect.StreamDetectionLifecycle;
import dev.gtguard.spring.internal.RegionClientFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Stream pollers for every region and entity table, as a {@link StreamDetectionLifecycle}, when
 * {@code gtguard.detection.stream.enabled=true}. The Streams clients get the region's {@code
 * streams-endpoint} (else its {@code endpoint}), the credentials and the {@link
 * GtguardClientCustomizer#customizeStreams} of every customizer.
 */
@AutoConfiguration(after = GtguardAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "gtguard.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("gtguard.detection.stream.enabled")
@ConditionalOnBean({GtguardTables.class, RegionClients.class})
public final class GtguardStreamDetectionAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  StreamDetectionLifecycle gtguardStreamDetection(
      GtguardTables tables,
      RegionClients regions,
      GtguardProperties properties,
      ObjectProvider<AwsCredentialsProvider> credentials,
      ObjectProvider<GtguardClientCustomizer> customizers,
      ObjectProvider<WriteListener> listeners) {
    RegionClientFactory factory =
        GtguardAutoConfiguration.clientFactory(properties, credentials, customizers);
    GtguardProperties.Stream stream = properties.getDetection().getStream();
    return new StreamDetectionLifecycle(
        tables::tables,
        regions,
        factory::streams,
        stream.getPollInterval(),
        stream.getCheckpointTableName(),
        listeners.orderedStream().toList());
  }
}
