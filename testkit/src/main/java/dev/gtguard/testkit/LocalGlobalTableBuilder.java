package dev.gtguard.testkit;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Builds and starts a {@link LocalGlobalTable}: {@link LocalGlobalTable#builder()}.
 *
 * <pre>{@code
 * try (LocalGlobalTable global =
 *     LocalGlobalTable.builder().regions("eu-west-1", "us-east-1").lag(Lag.of(Duration.ofMillis(300))).start()) {
 *   String table = global.createTable("orders", "pk");
 * }
 * }</pre>
 */
public final class LocalGlobalTableBuilder {
  List<String> regions = LocalGlobalTable.DEFAULT_REGIONS;
  Lag lag = Lag.NONE;
  Supplier<LocalDynamoDb> servers = EmbeddedDynamoDb::start;

  LocalGlobalTableBuilder() {}

  /**
   * The regions to simulate, at least two, distinct.
   *
   * @throws IllegalArgumentException otherwise
   */
  public LocalGlobalTableBuilder regions(String... regions) {
    List<String> list = List.of(regions);
    if (list.size() < 2 || Set.copyOf(list).size() != list.size()) {
      throw new IllegalArgumentException("need at least two distinct regions, got " + list);
    }
    this.regions = list;
    return this;
  }

  /** The lag of every region pair. Default {@link Lag#NONE}. */
  public LocalGlobalTableBuilder lag(Lag lag) {
    this.lag = Objects.requireNonNull(lag, "lag");
    return this;
  }

  /**
   * Where each region's DynamoDB Local comes from: {@link EmbeddedDynamoDb#start()} by default, or
   * for example a started {@link DynamoDbLocalContainer} per region.
   */
  public LocalGlobalTableBuilder servers(Supplier<LocalDynamoDb> servers) {
    this.servers = Objects.requireNonNull(servers, "servers");
    return this;
  }

  /** Starts one server per region and the replicators. */
  public LocalGlobalTable start() {
    return new LocalGlobalTable(this);
  }
}
