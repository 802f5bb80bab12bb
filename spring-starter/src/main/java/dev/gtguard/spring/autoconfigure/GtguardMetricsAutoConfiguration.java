package dev.gtguard.spring.autoconfigure;

import dev.gtguard.enhanced.GlobalTablesExtension;
import dev.gtguard.spring.metrics.GtguardMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link GtguardMetrics}, a {@code WriteListener} bean that the {@code GlobalTablesExtension} (and
 * the stream pollers) pick up, when Micrometer is on the class path and the application has a
 * {@code MeterRegistry}.
 */
@AutoConfiguration(
    after = GtguardAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass({MeterRegistry.class, GlobalTablesExtension.class})
@ConditionalOnBooleanProperty(name = "gtguard.enabled", matchIfMissing = true)
@ConditionalOnBean(MeterRegistry.class)
public final class GtguardMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  GtguardMetrics gtguardMetrics(MeterRegistry registry) {
    return new GtguardMetrics(registry);
  }
}
