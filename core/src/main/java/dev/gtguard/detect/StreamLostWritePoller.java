package dev.gtguard.detect;

import dev.gtguard.LostWrite;
import dev.gtguard.internal.Listeners;
import dev.gtguard.spi.WriteListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Reads one region's DynamoDB Stream of one table and reports every lost write a {@link
 * StreamDetector} finds in it, to {@link WriteListener#onLostWrite} (the library's SLF4J logging at
 * WARN included) and to an optional callback. Run one per region of the Global Table: a loss shows
 * in the stream of the replica whose write was overwritten.
 *
 * <pre>{@code
 * StreamLostWritePoller poller = StreamLostWritePoller.builder()
 *     .detector(StreamDetector.builder()
 *         .tableName("subscribers").partitionKey("pk").region("eu-west-1").build())
 *     .dynamoDbClient(euWest1)               // DescribeTable, for the stream ARN
 *     .streamsClient(euWest1Streams)         // a DynamoDbStreamsClient of the same region
 *     .onLostWrite(lost -> alarms.raise(lost))
 *     .pollInterval(Duration.ofSeconds(1))
 *     .build();
 * poller.start();                            // a daemon thread; poller.close() stops it
 * }</pre>
 *
 * <p>Every shard is read, from its oldest record ({@code TRIM_HORIZON}) the first time, then
 * without gaps: the poller keeps each shard's iterator and the sequence number of the last record
 * read, and when an iterator is refused (trimmed or expired) it takes a new one right after that
 * record. A parent shard is read to its end before its children, so an item's changes are seen in
 * order. A closed shard is finished; its children are picked up in the same pass. Only when the
 * records after the last one read have already been trimmed from the stream (more than 24 hours
 * behind) does it start over at the oldest record still there, and says so at WARN.
 *
 * <p>The stream must show {@code NEW_AND_OLD_IMAGES}. The poller does not close the clients it was
 * given. Thread-safe: {@link #pollOnce()} may be called while the background thread runs; passes
 * never overlap.
 */
public final class StreamLostWritePoller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamLostWritePoller.class);

  /** GetRecords' maximum. */
  private static final int PAGE_SIZE = 1000;

  /** Pages read from one shard in one pass at most, so that no shard starves the others. */
  private static final int MAX_PAGES_PER_SHARD = 100;

  /** Times one shard's iterator is re-acquired in one pass at most. */
  private static final int MAX_REACQUIRES = 3;

  /** Rounds of shard discovery in one pass at most: a new round only follows a closed shard. */
  private static final int MAX_ROUNDS = 10;

  private final StreamDetector detector;
  private final DynamoDbStreamsClient streams;
  private final DynamoDbClient dynamoDb;
  private final Listeners listeners;
  private final Duration pollInterval;

  // Guarded by "this": only pollOnce touches them.
  private String streamArn;
  private final Map<String, String> iterators = new LinkedHashMap<>();
  private final Map<String, String> lastSequence = new HashMap<>();
  private final Set<String> finished = new HashSet<>();

  private final Consumer<List<Record>> recordSink;
  private volatile boolean closed;
  private volatile Thread thread;

  private StreamLostWritePoller(Builder b) {
    this.recordSink = b.recordSink;
    this.detector = b.detector;
    this.streams = b.streams;
    this.dynamoDb = b.dynamoDb;
    this.streamArn = b.streamArn;
    this.pollInterval = b.pollInterval;
    List<WriteListener> all = new ArrayList<>(b.listeners);
    if (b.callback != null) {
      Consumer<LostWrite> callback = b.callback;
      all.add(
          new WriteListener() {
            @Override
            public void onLostWrite(LostWrite lost) {
              callback.accept(lost);
            }

            @Override
            public String toString() {
              return "onLostWrite callback " + callback;
            }
          });
    }
    this.listeners = new Listeners(List.copyOf(all));
  }

  /**
   * A builder; {@code detector}, {@code streamsClient} and either {@code dynamoDbClient} or {@code
   * streamArn} are required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The detector this poller feeds. */
  public StreamDetector detector() {
    return detector;
  }

  /**
   * Reads every shard once, up to its newest record, and reports the lost writes found to the
   * listeners; returns them too. Deterministic for tests: once writes have reached the stream, one
   * pass sees them all (up to 100 pages of 1000 records per shard; the next pass reads on).
   *
   * @throws IllegalStateException if the poller is closed, the table has no stream, or the stream
   *     does not show new and old images
   * @throws software.amazon.awssdk.core.exception.SdkException if DynamoDB fails; the next pass
   *     carries on where this one stopped, and losses found before the failure were reported
   */
  public synchronized List<LostWrite> pollOnce() {
    if (closed) {
      throw new IllegalStateException("poller is closed");
    }
    String arn = streamArn();
    List<LostWrite> found = new ArrayList<>();
    for (int round = 0; round < MAX_ROUNDS; round++) {
      discoverShards(arn);
      boolean shardClosed = false;
      for (String shardId : new ArrayList<>(iterators.keySet())) {
        shardClosed |= readShard(arn, shardId, found);
      }
      if (!shardClosed) {
        break;
      }
    }
    return found;
  }

  /**
   * Starts polling on a daemon thread: a pass, then a pause of the poll interval, until {@link
   * #close()}. A failing pass is logged at WARN and tried again after the interval.
   *
   * @throws IllegalStateException if already started or closed
   */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("poller is closed");
    }
    if (thread != null) {
      throw new IllegalStateException("poller already started");
    }
    thread =
        new Thread(
            this::run, "gtguard-stream-poller-" + detector.tableName() + "-" + detector.region());
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops the background thread, if started, and waits briefly for it. Idempotent. */
  @Override
  public void close() {
    closed = true;
    Thread running = thread;
    if (running != null && running != Thread.currentThread()) {
      running.interrupt();
      try {
        running.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    while (!closed) {
      try {
        pollOnce();
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.warn(
            "polling the stream of {} in {} failed; trying again in {} ms",
            detector.tableName(),
            detector.region(),
            pollInterval.toMillis(),
            e);
      }
      try {
        Thread.sleep(pollInterval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private String streamArn() {
    if (streamArn == null) {
      String arn =
          dynamoDb.describeTable(r -> r.tableName(detector.tableName())).table().latestStreamArn();
      if (arn == null) {
        throw new IllegalStateException(
            "table "
                + detector.tableName()
                + " in "
                + detector.region()
                + " has no stream; enable one with NEW_AND_OLD_IMAGES");
      }
      streamArn = arn;
    }
    return streamArn;
  }

  /** Starts reading shards not seen before, unless their parent still has records to give. */
  private void discoverShards(String arn) {
    List<Shard> shards = new ArrayList<>();
    String last = null;
    do {
      String start = last;
      StreamDescription description =
          streams
              .describeStream(r -> r.streamArn(arn).exclusiveStartShardId(start))
              .streamDescription();
      if (description.streamViewType() != StreamViewType.NEW_AND_OLD_IMAGES) {
        throw new IllegalStateException(
            "the stream of "
                + detector.tableName()
                + " in "
                + detector.region()
                + " shows "
                + description.streamViewTypeAsString()
                + "; lost writes are seen only with NEW_AND_OLD_IMAGES");
      }
      shards.addAll(description.shards());
      last = description.lastEvaluatedShardId();
    } while (last != null);

    Set<String> present = shards.stream().map(Shard::shardId).collect(Collectors.toSet());
    finished.retainAll(present); // shards trimmed from the stream need no memory
    for (Shard shard : shards) {
      String id = shard.shardId();
      if (iterators.containsKey(id) || finished.contains(id)) {
        continue;
      }
      String parent = shard.parentShardId();
      if (parent != null && present.contains(parent) && !finished.contains(parent)) {
        continue; // the parent holds the key's older changes: read it to its end first
      }
      iterators.put(id, null); // an iterator is taken when the shard is read
    }
  }

  /** Reads one shard up to its newest record; true if it turned out closed (or gone). */
  private boolean readShard(String arn, String shardId, List<LostWrite> found) {
    int reacquires = 0;
    for (int page = 0; page < MAX_PAGES_PER_SHARD; page++) {
      String iterator = iterators.get(shardId);
      if (iterator == null) {
        iterator = iterator(arn, shardId);
        if (iterator == null) {
          return finish(shardId); // the shard is gone
        }
        iterators.put(shardId, iterator);
      }
      String current = iterator;
      GetRecordsResponse response;
      try {
        response = streams.getRecords(r -> r.shardIterator(current).limit(PAGE_SIZE));
      } catch (TrimmedDataAccessException | ExpiredIteratorException e) {
        // An iterator expires after 15 minutes, and DynamoDB Local refuses one taken on an empty
        // shard once records arrive: take a new one right after the last record read.
        iterators.put(shardId, null);
        if (++reacquires > MAX_REACQUIRES) {
          return false;
        }
        page--;
        continue;
      } catch (ResourceNotFoundException e) {
        LOG.warn(
            "shard {} of the stream of {} in {} is gone; moving on",
            shardId,
            detector.tableName(),
            detector.region());
        return finish(shardId);
      }
      List<Record> records = response.hasRecords() ? response.records() : List.of();
      if (!records.isEmpty()) {
        if (recordSink != null) {
          recordSink.accept(records);
        }
        for (LostWrite lost : detector.detect(records)) {
          listeners.onLostWrite(lost);
          found.add(lost);
        }
        lastSequence.put(shardId, records.get(records.size() - 1).dynamodb().sequenceNumber());
      }
      if (response.nextShardIterator() == null) {
        return finish(shardId); // closed and read to its end: its children come next
      }
      iterators.put(shardId, response.nextShardIterator());
      if (records.isEmpty()) {
        return false; // caught up
      }
    }
    return false;
  }

  private boolean finish(String shardId) {
    iterators.remove(shardId);
    lastSequence.remove(shardId);
    finished.add(shardId);
    return true;
  }

  /**
   * An iterator right after the last record read from a shard, or at its oldest record; null if the
   * shard is gone.
   */
  private String iterator(String arn, String shardId) {
    String after = lastSequence.get(shardId);
    try {
      if (after != null) {
        try {
          return streams
              .getShardIterator(
                  r ->
                      r.streamArn(arn)
                          .shardId(shardId)
                          .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                          .sequenceNumber(after))
              .shardIterator();
        } catch (TrimmedDataAccessException e) {
          LOG.warn(
              "records of shard {} of the stream of {} in {} after sequence number {} were trimmed"
                  + " before they were read; lost writes among them are not seen. Reading on from"
                  + " the oldest record left",
              shardId,
              detector.tableName(),
              detector.region(),
              after);
        }
      }
      return streams
          .getShardIterator(
              r ->
                  r.streamArn(arn)
                      .shardId(shardId)
                      .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
          .shardIterator();
    } catch (ResourceNotFoundException e) {
      LOG.warn(
          "shard {} of the stream of {} in {} is gone; moving on",
          shardId,
          detector.tableName(),
          detector.region());
      return null;
    }
  }

  /** Builds a {@link StreamLostWritePoller}; each setter validates its argument at once. */
  public static final class Builder {
    private StreamDetector detector;
    private DynamoDbStreamsClient streams;
    private DynamoDbClient dynamoDb;
    private String streamArn;
    private final List<WriteListener> listeners = new ArrayList<>();
    private Consumer<LostWrite> callback;
    private Consumer<List<Record>> recordSink;
    private Duration pollInterval = Duration.ofSeconds(1);

    private Builder() {}

    /** What to look for, in which table, and the region reported. Required. */
    public Builder detector(StreamDetector detector) {
      this.detector = Objects.requireNonNull(detector, "detector");
      return this;
    }

    /** A DynamoDB Streams client of the detector's region. Required. */
    public Builder streamsClient(DynamoDbStreamsClient streams) {
      this.streams = Objects.requireNonNull(streams, "streamsClient");
      return this;
    }

    /**
     * A DynamoDB client of the detector's region, to look up the table's latest stream ARN at the
     * first pass. This or {@link #streamArn}.
     */
    public Builder dynamoDbClient(DynamoDbClient dynamoDb) {
      this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDbClient");
      return this;
    }

    /** The stream's ARN, when known: no DescribeTable. This or {@link #dynamoDbClient}. */
    public Builder streamArn(String streamArn) {
      Objects.requireNonNull(streamArn, "streamArn");
      if (streamArn.isBlank()) {
        throw new IllegalArgumentException("streamArn must not be blank");
      }
      this.streamArn = streamArn;
      return this;
    }

    /** Adds a listener; its {@link WriteListener#onLostWrite} hears every loss, in order. */
    public Builder listener(WriteListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Receives every batch of records read, in stream order per shard, before detection: for a
     * {@link StreamReconciler}, which needs every region's records.
     */
    public Builder onRecords(Consumer<List<Record>> recordSink) {
      this.recordSink = Objects.requireNonNull(recordSink, "recordSink");
      return this;
    }

    /**
     * A callback for every loss, after the listeners. Like a listener, an exception it throws is
     * logged and does not stop the poller.
     */
    public Builder onLostWrite(Consumer<LostWrite> callback) {
      this.callback = Objects.requireNonNull(callback, "callback");
      return this;
    }

    /** The pause between passes of the background thread. Default 1 s. */
    public Builder pollInterval(Duration pollInterval) {
      Objects.requireNonNull(pollInterval, "pollInterval");
      if (pollInterval.isNegative() || pollInterval.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
      }
      this.pollInterval = pollInterval;
      return this;
    }

    /**
     * @throws IllegalStateException if the detector, the streams client, or both the DynamoDB
     *     client and the stream ARN are missing
     */
    public StreamLostWritePoller build() {
      if (detector == null || streams == null) {
        throw new IllegalStateException("detector and streamsClient are required");
      }
      if (dynamoDb == null && streamArn == null) {
        throw new IllegalStateException("dynamoDbClient (or streamArn) is required");
      }
      return new StreamLostWritePoller(this);
    }
  }
}
