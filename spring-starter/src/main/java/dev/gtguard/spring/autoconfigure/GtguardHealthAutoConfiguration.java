package dev.gtguard.spring.autoconfigure;

import dev.gtguard.RegionClients;
import dev.gtguard.enhanced.VersionedEntityTable;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.spring.GtguardTables;
import dev.gtguard.spring.health.GtguardHealthIndicator;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code gtguard} health indicator ({@link GtguardHealthIndicator}) when Spring Boot's health
 * module is on the class path; {@code management.health.gtguard.enabled=false} switches it off.
 */
@AutoConfiguration(after = GtguardAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBooleanProperty(name = "gtguard.enabled", matchIfMissing = true)
@ConditionalOnEnabledHealthIndicator("gtguard")
@ConditionalOnBean({RegionClients.class, GtguardTables.class})
public final class GtguardHealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "gtguardHealthIndicator")
  GtguardHealthIndicator gtguardHealthIndicator(
      RegionClients regions,
      GtguardTables tables,
      ObjectProvider<WriteLedger> ledger,
      GtguardProperties properties) {
    return new GtguardHealthIndicator(
        regions,
        () -> {
          List<String> names = new ArrayList<>();
          tables.tables().stream().map(VersionedEntityTable::tableName).forEach(names::add);
          ledger.ifUnique(l -> names.add(l.tableName()));
          return names;
        },
        properties.getHealth().getTimeout());
  }
}
