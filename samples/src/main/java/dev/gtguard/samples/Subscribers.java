package dev.gtguard.samples;

import dev.gtguard.HomeRegionStrategy;
import dev.gtguard.LostWrite;
import dev.gtguard.RegionClients;
import dev.gtguard.VersionedTable;
import dev.gtguard.ledger.Reconciler;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.testkit.LocalGlobalTable;
import java.util.List;

/** How the samples build the subscribers table for a process running in one region. */
final class Subscribers {
  static final String HOME_ATTRIBUTE = "home_region";

  private Subscribers() {}

  /**
   * Writes stay in {@code region}: version and token checked against its replica only; each write
   * also appends to the ledger.
   */
  static VersionedTable local(
      LocalGlobalTable global, String table, WriteLedger ledger, String region) {
    return VersionedTable.builder()
        .client(global.client(region))
        .tableName(table)
        .partitionKey("pk")
        .ledger(ledger)
        .build();
  }

  /**
   * Reads stay in {@code region}; writes go to each subscriber's {@code home_region}; each write
   * also appends to the ledger.
   */
  static VersionedTable homeRouted(
      LocalGlobalTable global, String table, WriteLedger ledger, String region) {
    RegionClients.Builder clients = RegionClients.builder().local(region, global.client(region));
    global.regions().stream()
        .filter(r -> !r.equals(region))
        .forEach(r -> clients.remote(r, global.client(r)));
    return VersionedTable.builder()
        .clients(clients.build())
        .tableName(table)
        .partitionKey("pk")
        .homeRegion(HomeRegionStrategy.attribute(HOME_ATTRIBUTE))
        .ledger(ledger)
        .build();
  }

  /** A ledger table for one run, replicated like the subscribers. */
  static WriteLedger ledger(LocalGlobalTable global) {
    return WriteLedger.builder().tableName(global.createTable("ledger", "pk", "sk")).build();
  }

  /**
   * The lost writes the ledger proves, less those a later write rewrote anyway: what someone must
   * re-apply.
   */
  static List<LostWrite> detect(LocalGlobalTable global, WriteLedger ledger, VersionedTable table) {
    Reconciler.Report report =
        Reconciler.builder()
            .ledger(ledger)
            .ledgerClient(global.client(global.regions().get(0)))
            .table(table)
            .build()
            .run();
    // Anything the reconciler could not judge is shown, never silently dropped.
    report
        .findings()
        .forEach(
            finding ->
                System.out.println("   FINDING " + finding.kind() + ": " + finding.detail()));
    return report.lost().stream().filter(lost -> !lost.superseded()).toList();
  }
}
