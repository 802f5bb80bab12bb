package dev.gtguard.spring.detect;

import dev.gtguard.LostWrite;
import dev.gtguard.RegionClients;
import dev.gtguard.detect.DynamoDbCheckpointStore;
import dev.gtguard.detect.StreamDetector;
import dev.gtguard.detect.StreamLostWritePoller;
import dev.gtguard.enhanced.VersionedEntityTable;
import dev.gtguard.spi.WriteListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Lost-write detection on DynamoDB Streams as part of the application's lifecycle ({@code
 * gtguard.detection.stream.enabled=true}): when the context has started, one {@link
 * StreamLostWritePoller} per region and per entity table then made (the {@code
 * VersionedEntityTable} beans, and every table used so far); stopped, and its Streams clients
 * closed, when the context stops. Every loss goes to the {@code WriteListener} beans: the library's
 * log at WARN, and the {@code gtguard.lost.writes} meter with Micrometer.
 *
 * <pre>{@code
 * gtguard:
 *   detection.stream:
 *     enabled: true
 *     checkpoint-table-name: gtguard_checkpoints   # else in memory: a restart re-reads 24 hours
 * }</pre>
 *
 * <p>Pollers do not share shards between processes: enable it in one instance of a service (or run
 * the Lambda adapter instead), else every instance reports every loss. IAM: see {@code
 * docs/iam/stream-poller.json}, per region.
 */
public final class StreamDetectionLifecycle implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(StreamDetectionLifecycle.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Supplier<List<VersionedEntityTable<?>>> tables;
  private final RegionClients regions;
  private final Function<String, DynamoDbStreamsClient> streamsClients;
  private final Duration pollInterval;
  private final String checkpointTable;
  private final List<WriteListener> listeners;
  private final List<StreamLostWritePoller> pollers = new ArrayList<>();
  private final Map<String, DynamoDbStreamsClient> streams = new LinkedHashMap<>();
  private boolean running;

  /**
   * @param tables the tables to watch, asked at start
   * @param streamsClients a new Streams client per region; closed at stop
   * @param checkpointTable the checkpoint table in every region, or null to keep them in memory
   */
  public StreamDetectionLifecycle(
      Supplier<List<VersionedEntityTable<?>>> tables,
      RegionClients regions,
      Function<String, DynamoDbStreamsClient> streamsClients,
      Duration pollInterval,
      String checkpointTable,
      List<WriteListener> listeners) {
    this.tables = Objects.requireNonNull(tables, "tables");
    this.regions = Objects.requireNonNull(regions, "regions");
    this.streamsClients = Objects.requireNonNull(streamsClients, "streamsClients");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    this.checkpointTable = checkpointTable;
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    try {
      for (VersionedEntityTable<?> table : tables.get()) {
        for (String region : regions.regions()) {
          StreamLostWritePoller poller = poller(table, region);
          pollers.add(poller);
          poller.start();
        }
      }
    } catch (RuntimeException e) {
      closeAll();
      throw e;
    }
    running = true;
    LOG.info("gtguard stream detection: {} pollers", pollers.size());
  }

  @Override
  public synchronized void stop() {
    closeAll();
    running = false;
  }

  @Override
  public synchronized boolean isRunning() {
    return running;
  }

  /**
   * One pass of every poller now, for tests and operations: the losses they delivered. The
   * background passes go on.
   */
  public synchronized List<LostWrite> pollOnce() {
    List<LostWrite> found = new ArrayList<>();
    pollers.forEach(p -> found.addAll(p.pollOnce()));
    return found;
  }

  /** How many pollers run: tables times regions. */
  public synchronized int pollerCount() {
    return pollers.size();
  }

  private StreamLostWritePoller poller(VersionedEntityTable<?> table, String region) {
    StreamLostWritePoller.Builder builder =
        StreamLostWritePoller.builder()
            .detector(
                StreamDetector.builder()
                    .table(table.versionedTable().description())
                    .region(region)
                    .build())
            .dynamoDbClient(regions.client(region))
            .streamsClient(streams.computeIfAbsent(region, streamsClients))
            .pollInterval(pollInterval);
    if (checkpointTable != null) {
      builder.checkpointStore(
          DynamoDbCheckpointStore.builder()
              .client(regions.client(region))
              .tableName(checkpointTable)
              .build());
    }
    listeners.forEach(builder::listener);
    return builder.build();
  }

  private void closeAll() {
    for (StreamLostWritePoller poller : pollers) {
      if (!poller.close(STOP_TIMEOUT)) {
        LOG.warn("a stream poller was still delivering after {}", STOP_TIMEOUT);
      }
    }
    pollers.clear();
    streams.values().forEach(DynamoDbStreamsClient::close);
    streams.clear();
  }
}
