package dev.gtguard;

import dev.gtguard.internal.write.Transport;
import dev.gtguard.internal.write.WritePipeline;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.spi.WriteListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the blocking and the asynchronous table builders share: every setting but the clients' kind
 * and the threads, with one check of their combination and one assembly of the write path.
 */
final class TableSettings {
  RegionClients regions;
  HomeRegionStrategy homeRegion;
  FailoverPolicy failoverPolicy = FailoverPolicy.FAIL;
  WriteLedger ledger;
  TableDescription.Builder table = TableDescription.builder();
  ConflictRetryPolicy retryPolicy = ConflictRetryPolicy.ofDefaults();
  SameItemUpdates sameItemUpdates = SameItemUpdates.QUEUED;
  final List<WriteListener> listeners = new ArrayList<>();

  void table(TableDescription description) {
    this.table = Objects.requireNonNull(description, "table").toBuilder();
  }

  /**
   * The table's description, once the combination is checked.
   *
   * @param async whether every region needs an asynchronous client (else a blocking one)
   * @throws IllegalStateException if a required setting is missing, a region lacks a client of the
   *     needed kind, or two roles share one attribute name
   */
  TableDescription check(boolean async) {
    if (regions == null) {
      throw new IllegalStateException("client (or clients) is required");
    }
    if (async ? !regions.async() : !regions.blocking()) {
      throw new IllegalStateException(
          (async ? "an asynchronous table needs a DynamoDbAsyncClient" : "a DynamoDbClient")
              + " for every region, configured: "
              + regions.regions());
    }
    TableDescription description = table.build();
    String home = homeRegion == null ? null : homeRegion.attributeName().orElse(null);
    if (home != null
        && (description.isKeyAttribute(home) || description.managedAttributes().contains(home))) {
      throw new IllegalStateException(
          "the home attribute '" + home + "' must differ from the key and managed attributes");
    }
    return description;
  }

  /** The write path of a table with these settings, sending through {@code transport}. */
  WritePipeline pipeline(TableDescription description, Transport transport) {
    return WritePipeline.create(
        description,
        regions,
        homeRegion,
        failoverPolicy,
        ledger,
        retryPolicy,
        List.copyOf(listeners),
        transport,
        sameItemUpdates);
  }
}
