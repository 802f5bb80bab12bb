package dev.gtguard.samples;

import dev.gtguard.HomeRegion;
import dev.gtguard.RegionClients;
import dev.gtguard.VersionedTable;
import dev.gtguard.testkit.LocalGlobalTable;

/** How the samples build the subscribers table for a process running in one region. */
final class Subscribers {
  static final String HOME_ATTRIBUTE = "home_region";

  private Subscribers() {}

  /** Writes stay in {@code region}: version and token checked against its replica only. */
  static VersionedTable local(LocalGlobalTable global, String table, String region) {
    return VersionedTable.builder()
        .client(global.client(region))
        .tableName(table)
        .partitionKey("pk")
        .build();
  }

  /** Reads stay in {@code region}; writes go to each subscriber's {@code home_region}. */
  static VersionedTable homeRouted(LocalGlobalTable global, String table, String region) {
    RegionClients.Builder clients = RegionClients.builder().local(region, global.client(region));
    global.regions().stream()
        .filter(r -> !r.equals(region))
        .forEach(r -> clients.remote(r, global.client(r)));
    return VersionedTable.builder()
        .clients(clients.build())
        .tableName(table)
        .partitionKey("pk")
        .homeRegion(HomeRegion.attribute(HOME_ATTRIBUTE))
        .build();
  }
}
