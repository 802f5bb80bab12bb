package dev.gtguard.spring.metrics;

import dev.gtguard.LostWrite;
import dev.gtguard.spi.FailoverWrite;
import dev.gtguard.spi.RetriesExhausted;
import dev.gtguard.spi.RetryScheduled;
import dev.gtguard.spi.WriteConflict;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spi.WriteRerouted;
import dev.gtguard.spi.WriteSucceeded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.Objects;

/**
 * Micrometer meters for what the library does with each write, fed as a {@link WriteListener}. Tags
 * name the table, the region, the operation ({@code create}, {@code update}, {@code delete}, {@code
 * append}) and the kind or source; never an item key, so that cardinality stays bounded by tables
 * times regions and keys never reach a metrics backend.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@value #WRITES}</td><td>counter</td><td>table, region, operation</td></tr>
 *   <tr><td>{@value #ATTEMPTS}</td><td>summary of requests per acknowledged write</td>
 *       <td>table, region, operation</td></tr>
 *   <tr><td>{@value #CONFLICTS}</td><td>counter</td><td>table, region, operation, kind
 *       ({@code version_mismatch}, {@code replicated_write_conflict})</td></tr>
 *   <tr><td>{@value #RETRIES}</td><td>counter</td><td>table, region</td></tr>
 *   <tr><td>{@value #RETRIES_EXHAUSTED}</td><td>counter</td><td>table, region</td></tr>
 *   <tr><td>{@value #FAILOVERS}</td><td>counter</td><td>table, region (the unreachable home),
 *       operation</td></tr>
 *   <tr><td>{@value #REROUTES}</td><td>counter</td><td>table, region (the new home)</td></tr>
 *   <tr><td>{@value #LOST_WRITES}</td><td>counter</td><td>table, region, source ({@code
 *       next_write}, {@code stream}, {@code ledger})</td></tr>
 * </table>
 *
 * <pre>{@code
 * GET /actuator/metrics/gtguard.conflicts?tag=table:subscriber
 * }</pre>
 */
public final class GtguardMetrics implements WriteListener {
  /** Acknowledged writes. */
  public static final String WRITES = "gtguard.writes";

  /** Requests per acknowledged write: 1 without contention. */
  public static final String ATTEMPTS = "gtguard.write.attempts";

  /** Conditional writes another writer beat. */
  public static final String CONFLICTS = "gtguard.conflicts";

  /** Retries scheduled after a conflict. */
  public static final String RETRIES = "gtguard.retries";

  /** Updates that lost every attempt. */
  public static final String RETRIES_EXHAUSTED = "gtguard.retries.exhausted";

  /** Writes sent to the local region because the home region was unreachable. */
  public static final String FAILOVERS = "gtguard.failovers";

  /** Writes that followed an item's moved home. */
  public static final String REROUTES = "gtguard.reroutes";

  /** Acknowledged writes found overwritten by replication. */
  public static final String LOST_WRITES = "gtguard.lost.writes";

  private final MeterRegistry registry;

  public GtguardMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public void onWriteSucceeded(WriteSucceeded e) {
    Tags tags = tags(e.tableName(), e.region()).and("operation", lower(e.operation()));
    count(WRITES, "Acknowledged writes", tags);
    DistributionSummary.builder(ATTEMPTS)
        .description("Requests per acknowledged write")
        .baseUnit("requests")
        .tags(tags)
        .register(registry)
        .record(e.attempts());
  }

  @Override
  public void onConflict(WriteConflict e) {
    count(
        CONFLICTS,
        "Conditional writes another writer beat",
        tags(e.tableName(), e.region())
            .and("operation", lower(e.operation()))
            .and("kind", lower(e.kind())));
  }

  @Override
  public void onRetry(RetryScheduled e) {
    count(RETRIES, "Retries after a conflict", tags(e.tableName(), e.region()));
  }

  @Override
  public void onRetriesExhausted(RetriesExhausted e) {
    count(RETRIES_EXHAUSTED, "Updates that lost every attempt", tags(e.tableName(), e.region()));
  }

  @Override
  public void onFailover(FailoverWrite e) {
    count(
        FAILOVERS,
        "Writes sent to the local region because the home region was unreachable",
        tags(e.tableName(), e.homeRegion()).and("operation", lower(e.operation())));
  }

  @Override
  public void onRerouted(WriteRerouted e) {
    count(REROUTES, "Writes that followed an item's moved home", tags(e.tableName(), e.toRegion()));
  }

  @Override
  public void onLostWrite(LostWrite lost) {
    count(
        LOST_WRITES,
        "Acknowledged writes found overwritten by replication",
        tags(lost.tableName(), lost.region()).and("source", lower(lost.source())));
  }

  private void count(String name, String description, Tags tags) {
    Counter.builder(name).description(description).tags(tags).register(registry).increment();
  }

  private static Tags tags(String table, String region) {
    return Tags.of(
        "table", table == null ? "unknown" : table, "region", region == null ? "unknown" : region);
  }

  private static String lower(Enum<?> value) {
    return value == null ? "unknown" : value.name().toLowerCase(Locale.ROOT);
  }
}
