package dev.gtguard.spring.health;

import dev.gtguard.RegionClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The {@code gtguard} health: every region's client asked, in parallel and within a time bound, to
 * {@code DescribeTable} each table the starter knows (the entity tables made so far and the
 * ledger). A region is UP when every table answers {@code ACTIVE} or {@code UPDATING}.
 *
 * <ul>
 *   <li>DOWN when the local region is: unreachable, slower than the bound, or missing a table.
 *       Reads and the writes of locally homed items fail then.
 *   <li>UP when only remote regions are DOWN, listed under {@code unavailableRegions}: the service
 *       still serves reads and local writes, and taking it out of a load balancer would not help.
 *   <li>UNKNOWN while there is no table to ask.
 * </ul>
 *
 * <pre>{@code
 * {"status":"UP","details":{"localRegion":"eu-west-1","unavailableRegions":["us-east-1"],
 *   "regions":{"eu-west-1":{"status":"UP","latencyMs":4,"tables":{"subscriber":"ACTIVE"}},
 *              "us-east-1":{"status":"DOWN","latencyMs":2001,"error":"no answer within PT2S"}}}}
 * }</pre>
 *
 * <p>IAM: {@code dynamodb:DescribeTable} on those tables in every region ({@code
 * docs/iam/spring-health.json}). Close it to stop its threads.
 */
public final class GtguardHealthIndicator implements HealthIndicator, AutoCloseable {
  private final RegionClients regions;
  private final Supplier<Collection<String>> tableNames;
  private final Duration timeout;
  private final ExecutorService probes;

  /**
   * @param tableNames the tables to describe, asked at each check
   * @param timeout how long a region may take to answer for all its tables
   */
  public GtguardHealthIndicator(
      RegionClients regions, Supplier<Collection<String>> tableNames, Duration timeout) {
    this.regions = Objects.requireNonNull(regions, "regions");
    this.tableNames = Objects.requireNonNull(tableNames, "tableNames");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.probes =
        Executors.newFixedThreadPool(
            regions.regions().size(),
            task -> {
              Thread thread = new Thread(task, "gtguard-health");
              thread.setDaemon(true);
              return thread;
            });
  }

  @Override
  public Health health() {
    List<String> tables = tableNames.get().stream().distinct().sorted().toList();
    if (tables.isEmpty()) {
      return Health.unknown()
          .withDetail("localRegion", regions.localRegion())
          .withDetail("reason", "no table to probe yet")
          .build();
    }
    Map<String, CompletableFuture<RegionHealth>> running = new LinkedHashMap<>();
    for (String region : regions.regions()) {
      running.put(
          region,
          CompletableFuture.supplyAsync(() -> probe(regions.client(region), tables), probes));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Map<String, Object>> details = new LinkedHashMap<>();
    List<String> unavailable = new ArrayList<>();
    for (Map.Entry<String, CompletableFuture<RegionHealth>> entry : running.entrySet()) {
      RegionHealth region = await(entry.getValue(), deadline);
      details.put(entry.getKey(), region.details());
      if (!region.up()) {
        unavailable.add(entry.getKey());
      }
    }
    Health.Builder health =
        unavailable.contains(regions.localRegion()) ? Health.down() : Health.up();
    return health
        .withDetail("localRegion", regions.localRegion())
        .withDetail("unavailableRegions", unavailable)
        .withDetail("regions", details)
        .build();
  }

  /** Stops the probe threads. */
  @Override
  public void close() {
    probes.shutdownNow();
  }

  private RegionHealth probe(DynamoDbClient client, List<String> tables) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Map<String, String> statuses = new LinkedHashMap<>();
    boolean up = true;
    try {
      for (String table : tables) {
        Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000));
        String status = describe(client, table, left);
        statuses.put(table, status);
        up &= status.equals(TableStatus.ACTIVE.toString()) || status.equals("UPDATING");
      }
      return new RegionHealth(up, millisSince(start), statuses, null);
    } catch (RuntimeException e) {
      return new RegionHealth(false, millisSince(start), statuses, describe(e));
    }
  }

  private static String describe(DynamoDbClient client, String table, Duration timeout) {
    try {
      return client
          .describeTable(
              r ->
                  r.tableName(table)
                      .overrideConfiguration(
                          AwsRequestOverrideConfiguration.builder()
                              .apiCallTimeout(timeout)
                              .build()))
          .table()
          .tableStatusAsString();
    } catch (ResourceNotFoundException e) {
      return "MISSING";
    }
  }

  private RegionHealth await(CompletableFuture<RegionHealth> probe, long deadline) {
    try {
      return probe.get(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      probe.cancel(true);
      return new RegionHealth(false, timeout.toMillis(), Map.of(), "no answer within " + timeout);
    } catch (ExecutionException e) {
      return new RegionHealth(false, 0, Map.of(), describe(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new RegionHealth(false, 0, Map.of(), "interrupted");
    }
  }

  private static long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private record RegionHealth(
      boolean up, long latencyMs, Map<String, String> tables, String error) {
    Map<String, Object> details() {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("status", up ? "UP" : "DOWN");
      details.put("latencyMs", latencyMs);
      if (!tables.isEmpty()) {
        details.put("tables", tables);
      }
      if (error != null) {
        details.put("error", error);
      }
      return details;
    }
  }
}
