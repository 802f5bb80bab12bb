package dev.gtguard.detect;

import dev.gtguard.LostWrite;
import dev.gtguard.internal.Listeners;
import dev.gtguard.spi.WriteListener;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Reads one region's DynamoDB Stream of one table and delivers every lost write a {@link
 * StreamDetector} finds in it to a callback, then to {@link WriteListener#onLostWrite} (the
 * library's SLF4J logging at WARN included). Run one per region of the Global Table: a loss shows
 * in the stream of the replica whose write was overwritten.
 *
 * <pre>{@code
 * StreamLostWritePoller poller = StreamLostWritePoller.builder()
 *     .detector(StreamDetector.builder()
 *         .table(TableDescription.of("subscribers", "pk")).region("eu-west-1").build())
 *     .dynamoDbClient(euWest1)               // DescribeTable, for the stream ARN
 *     .streamsClient(euWest1Streams)         // a DynamoDbStreamsClient of the same region
 *     .checkpointStore(DynamoDbCheckpointStore.builder()
 *         .client(euWest1).tableName("gtguard_checkpoints").build())
 *     .onLostWrite(lost -> alarms.raise(lost))  // throw if the alarm did not get through
 *     .build();
 * poller.start();                            // a daemon thread; poller.close() stops it
 * }</pre>
 *
 * <p><b>Delivery.</b> The {@code onLostWrite} callback is the delivery: a loss is delivered when it
 * returns, and not delivered when it throws (anything, an {@link Error} included; only a {@link
 * VirtualMachineError} is let through). Listeners hear a loss once it is delivered; their own
 * failures are logged and ignored. A loss not delivered is not marked reported: its shard stops at
 * the record before it, pauses (exponential backoff per shard, {@link Builder#shardBackoff}), and
 * then reads again from there, so the same loss is offered again until the callback takes it. Each
 * loss is delivered once per poller; with a durable {@link CheckpointStore}, once across restarts
 * too, as long as its checkpoint was saved (a crash between delivery and save repeats the records
 * after the last save: at least once, never lost).
 *
 * <p><b>Checkpoints.</b> Per shard, the sequence number of the last record delivered is saved to
 * the checkpoint store after each page, and a shard with a checkpoint is read from right after it
 * ({@code AFTER_SEQUENCE_NUMBER}). The default store is in memory ({@link
 * InMemoryCheckpointStore}), so that a restarted poller reads every shard from its oldest record
 * again, as before checkpoints existed, and repeats the losses of the last 24 hours; use a {@link
 * DynamoDbCheckpointStore} in production. A store that cannot be read or written is a failure of
 * that shard, never a reason to read from the oldest record.
 *
 * <p><b>Shards.</b> Every shard is read without gaps. A parent shard is read to its end before its
 * children, so an item's changes are seen in order; a closed shard is finished and its children are
 * picked up in the same pass. A shard that fails (throttled with {@code LimitExceededException}, an
 * iterator refused again and again, a network error, a failing callback) pauses alone: the other
 * shards are read in the same pass. Only when the records after the checkpoint have already been
 * trimmed from the stream (more than 24 hours behind) does a shard start over at its oldest record
 * still there, and says so at WARN.
 *
 * <p><b>Stopping.</b> {@link #close()} returns once no delivery runs any more: it waits for the
 * callback in progress, if any (without interrupting it), and a pass stops between records. A
 * callback that never returns makes {@code close()} wait for ever; {@link #close(Duration)} bounds
 * the wait and says whether it stopped in time.
 *
 * <p>The stream must show {@code NEW_AND_OLD_IMAGES}. The poller does not close the clients or the
 * store it was given. Thread-safe: {@link #pollOnce()} may be called while the background thread
 * runs; passes never overlap.
 */
public final class StreamLostWritePoller implements AutoCloseable {
  /** Rounds of shard discovery in one pass at most: a new round only follows a closed shard. */
  private static final int MAX_ROUNDS = 10;

  private final StreamDetector detector;
  private final DynamoDbClient dynamoDb;
  private final StreamShards shards;
  private final ShardReader reader;
  private final PollingLoop loop;
  private String streamArn; // touched by passes only, which never overlap

  private StreamLostWritePoller(Builder b) {
    this.detector = b.detector;
    this.dynamoDb = b.dynamoDb;
    this.streamArn = b.streamArn;
    IntervalFunction pauses =
        IntervalFunction.ofExponentialBackoff(b.firstPause, 2.0, b.longestPause);
    Clock clock = b.clock;
    this.shards =
        new StreamShards(
            b.streams,
            detector.tableName(),
            detector.region(),
            id -> new ShardCursor(id, new ShardBackoff(pauses, clock)));
    LostWriteDelivery delivery =
        new LostWriteDelivery(
            detector, b.recordSink, b.callback, new Listeners(List.copyOf(b.listeners)));
    this.reader =
        new ShardReader(
            b.streams, b.checkpoints, delivery, detector.tableName(), detector.region());
    this.loop =
        new PollingLoop(
            "gtguard-stream-poller-" + detector.tableName() + "-" + detector.region(),
            b.pollInterval);
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
   * Reads every shard once, up to its newest record, and delivers the lost writes found; returns
   * the ones delivered. Deterministic for tests: once writes have reached the stream, one pass sees
   * them all (up to 100 pages of 1000 records per shard; the next pass reads on). Shards pausing
   * after a failure are skipped; a shard that fails is logged at WARN and does not stop the pass.
   *
   * @throws IllegalStateException if the poller is closed, the table has no stream, or the stream
   *     does not show new and old images
   * @throws software.amazon.awssdk.core.exception.SdkException if the table or the stream cannot be
   *     described; nothing was read
   */
  public List<LostWrite> pollOnce() {
    return loop.runPass(this::pass);
  }

  /**
   * Starts polling on a daemon thread: a pass, then a pause of the poll interval, until {@link
   * #close()}. A failing pass is logged at WARN and tried again after the interval; nothing a
   * callback or listener throws stops the thread (but a {@link VirtualMachineError}).
   *
   * @throws IllegalStateException if already started or closed
   */
  public void start() {
    loop.start(this::pass);
  }

  /**
   * Stops polling and returns once no delivery runs any more: the background thread has ended and
   * no {@link #pollOnce()} is in progress. The callback in progress is not interrupted; the
   * checkpoint keeps what was delivered. Idempotent. Called from the callback itself, it returns at
   * once, and the poller stops when the callback returns. If the calling thread is interrupted, it
   * still waits, and its interrupt status is set again on return.
   */
  @Override
  public void close() {
    loop.requestStop();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (loop.awaitStopped(Long.MAX_VALUE)) {
            return;
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Like {@link #close()}, but waits at most {@code timeout}.
   *
   * @return true if no delivery runs any more; false if one still did when the time was up (the
   *     poller is closed all the same and stops when it ends), or if the calling thread was
   *     interrupted (its interrupt status is set again)
   */
  public boolean close(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    loop.requestStop();
    try {
      return loop.awaitStopped(Math.max(0, timeout.toNanos()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** One pass over every shard ready to be read; the losses delivered. */
  private List<LostWrite> pass() {
    String arn = streamArn();
    List<LostWrite> found = new ArrayList<>();
    for (int round = 0; round < MAX_ROUNDS; round++) {
      shards.discover(arn);
      boolean shardFinished = false;
      for (ShardCursor cursor : shards.active()) {
        if (loop.closed()) {
          return found;
        }
        if (!cursor.backoff.ready()) {
          continue; // pausing after a failure; the others go on
        }
        if (reader.read(arn, cursor, found, loop::closed) == ShardReader.Outcome.FINISHED) {
          shards.finish(cursor.shardId);
          shardFinished = true;
        }
      }
      if (!shardFinished) {
        break;
      }
    }
    return found;
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
    private CheckpointStore checkpoints = new InMemoryCheckpointStore();
    private Duration firstPause = Duration.ofSeconds(1);
    private Duration longestPause = Duration.ofMinutes(1);
    private Clock clock = Clock.systemUTC();

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
     * {@link StreamReconciler}, which needs every region's records. At least once: a batch is given
     * again, in part or whole, when its shard is read again from its checkpoint (after a failure,
     * or after a restart that finds records past the last checkpoint). If it throws, nothing in the
     * batch is delivered, and the shard reads it again after its pause.
     */
    public Builder onRecords(Consumer<List<Record>> recordSink) {
      this.recordSink = Objects.requireNonNull(recordSink, "recordSink");
      return this;
    }

    /**
     * The delivery: called with every loss, before the listeners, on the polling thread. Return to
     * acknowledge it; throw (anything) if it did not get through, e.g. the alarm system is down:
     * then the loss is not marked reported, its shard pauses and reads again from the record before
     * it, and this callback is offered the same loss again. Without a callback, the listeners are
     * the delivery, and never fail.
     */
    public Builder onLostWrite(Consumer<LostWrite> callback) {
      this.callback = Objects.requireNonNull(callback, "callback");
      return this;
    }

    /**
     * Where each shard's progress is kept, so that a restart resumes after the last record
     * delivered. Default: a new {@link InMemoryCheckpointStore}, which lives only as long as the
     * poller, so that a restarted poller reads every shard from its oldest record and reports again
     * the losses still in the stream (up to 24 hours).
     */
    public Builder checkpointStore(CheckpointStore checkpoints) {
      this.checkpoints = Objects.requireNonNull(checkpoints, "checkpointStore");
      return this;
    }

    /**
     * A failing shard's pause before it is read again: {@code first} after one failure, doubling
     * with each failure in a row, never longer than {@code longest}. Default 1 s to 1 min.
     *
     * @throws IllegalArgumentException if {@code first} is under 1 ms or {@code longest} under
     *     {@code first}
     */
    public Builder shardBackoff(Duration first, Duration longest) {
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(longest, "longest");
      if (first.toMillis() < 1 || longest.compareTo(first) < 0) {
        throw new IllegalArgumentException(
            "shard backoff needs 1 ms <= first <= longest, was " + first + " and " + longest);
      }
      this.firstPause = first;
      this.longestPause = longest;
      return this;
    }

    /** The clock of the shards' pauses; for tests. */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
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
