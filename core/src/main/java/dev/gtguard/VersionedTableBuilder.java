package dev.gtguard;

import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.spi.WriteListener;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds a {@link VersionedTable}; each setter validates its argument at once ({@link
 * NullPointerException} for null, {@link IllegalArgumentException} for a bad value), {@link
 * #build()} checks the combination.
 *
 * <pre>{@code
 * VersionedTable subscribers = VersionedTable.builder()
 *     .clients(regionClients)
 *     .tableName("subscribers")
 *     .partitionKey("pk")
 *     .homeRegion(HomeRegionStrategy.attribute("home_region"))
 *     .build();
 * }</pre>
 */
public final class VersionedTableBuilder {
  final TableSettings settings = new TableSettings();

  VersionedTableBuilder() {}

  /** A single region's client: every read and write goes there. This or {@link #clients}. */
  public VersionedTableBuilder client(DynamoDbClient client) {
    settings.regions = RegionClients.single(Objects.requireNonNull(client, "client"));
    return this;
  }

  /**
   * The clients of every region of the Global Table: plain reads go to the local one, writes and
   * strong reads to each item's {@link #homeRegion home}. This or {@link #client}.
   */
  public VersionedTableBuilder clients(RegionClients regions) {
    settings.regions = Objects.requireNonNull(regions, "regions");
    return this;
  }

  /**
   * The table: name, keys, managed attribute names, legacy adoption. This, or the shortcuts {@link
   * #tableName}, {@link #partitionKey} and {@link #sortKey} for the defaults; a shortcut called
   * afterwards changes this description's setting.
   */
  public VersionedTableBuilder table(TableDescription table) {
    settings.table(table);
    return this;
  }

  /** The table's name: shortcut for {@link TableDescription.Builder#tableName}. */
  public VersionedTableBuilder tableName(String tableName) {
    settings.table.tableName(tableName);
    return this;
  }

  /** The partition key: shortcut for {@link TableDescription.Builder#partitionKey}. */
  public VersionedTableBuilder partitionKey(String partitionKey) {
    settings.table.partitionKey(partitionKey);
    return this;
  }

  /** The sort key: shortcut for {@link TableDescription.Builder#sortKey}. */
  public VersionedTableBuilder sortKey(String sortKey) {
    settings.table.sortKey(sortKey);
    return this;
  }

  /** How each item's home region is found. Default: none, every write goes to the local region. */
  public VersionedTableBuilder homeRegion(HomeRegionStrategy homeRegion) {
    settings.homeRegion = Objects.requireNonNull(homeRegion, "homeRegion");
    return this;
  }

  /**
   * Appends a ledger entry atomically with every write, for the {@link
   * dev.gtguard.ledger.Reconciler}. Default: no ledger.
   */
  public VersionedTableBuilder ledger(WriteLedger ledger) {
    settings.ledger = Objects.requireNonNull(ledger, "ledger");
    return this;
  }

  /**
   * What writes do when their home region provably cannot be reached. Default {@link
   * FailoverPolicy#FAIL}.
   */
  public VersionedTableBuilder failoverPolicy(FailoverPolicy failoverPolicy) {
    settings.failoverPolicy = Objects.requireNonNull(failoverPolicy, "failoverPolicy");
    return this;
  }

  /** How updates retry after a conflict. Default {@link ConflictRetryPolicy#ofDefaults()}. */
  public VersionedTableBuilder retryPolicy(ConflictRetryPolicy retryPolicy) {
    settings.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    return this;
  }

  /**
   * How concurrent updates of one item through this table run. Default {@link
   * SameItemUpdates#QUEUED}: one after another, so that they never conflict with each other; {@link
   * SameItemUpdates#COMBINED} for hot items (many updates per write); {@link
   * SameItemUpdates#CONCURRENT} to run each on its own.
   */
  public VersionedTableBuilder sameItemUpdates(SameItemUpdates sameItemUpdates) {
    settings.sameItemUpdates = Objects.requireNonNull(sameItemUpdates, "sameItemUpdates");
    return this;
  }

  /** Adds a listener; listeners hear events in the order they were added. */
  public VersionedTableBuilder listener(WriteListener listener) {
    settings.listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * @throws IllegalStateException if a required setting is missing, a region has no blocking
   *     client, or two roles share one attribute name
   */
  public VersionedTable build() {
    return new VersionedTable(settings, settings.check(false));
  }
}
