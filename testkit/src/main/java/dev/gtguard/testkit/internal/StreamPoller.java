package dev.gtguard.testkit.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Reads one region's DynamoDB Streams, every shard of every simulated table, from the start and
 * without gaps, and hands each change to the replicators of that region's outgoing pairs. Changes
 * that replication itself applied are recognised and not sent on again.
 */
public final class StreamPoller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamPoller.class);

  private final Replica replica;
  private final DynamoDbStreamsClient streams;
  private final Function<String, TableKeys> tables;
  private final List<PairReplicator> outgoing;
  private final AtomicLong untracked;
  private final List<TableStream> tableStreams = new CopyOnWriteArrayList<>();

  /**
   * The stamp of each item's last local write this poller replicated: a later record of the same
   * item in this region's stream is a later write, so its stamp must come after it (see {@link
   * #inStreamOrder}). Only the poller's thread uses it.
   */
  private final Map<ItemRef, Stamp> lastLocal = new HashMap<>();

  private final Thread thread;
  private volatile boolean closed;
  private volatile boolean busy;

  private static final class TableStream {
    final String table;
    final String arn;
    final Map<String, String> iterators = new LinkedHashMap<>();
    final Map<String, String> lastSequence = new HashMap<>();
    final Set<String> finished = new HashSet<>();
    long nextDescribe;

    TableStream(String table, String arn) {
      this.table = table;
      this.arn = arn;
    }
  }

  public StreamPoller(
      Replica replica,
      DynamoDbStreamsClient streams,
      Function<String, TableKeys> tables,
      List<PairReplicator> outgoing,
      AtomicLong untracked) {
    this.replica = replica;
    this.streams = streams;
    this.tables = tables;
    this.outgoing = outgoing;
    this.untracked = untracked;
    this.thread = new Thread(this::run, "stream-poller-" + replica.region);
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts reading a table's stream from its first record. */
  public void track(String table) {
    String arn = replica.raw.describeTable(r -> r.tableName(table)).table().latestStreamArn();
    tableStreams.add(new TableStream(table, arn));
  }

  /** Whether records have been read but not yet handed on to the replicators. */
  public boolean busy() {
    return busy;
  }

  private void run() {
    while (!closed) {
      boolean read = false;
      for (TableStream stream : tableStreams) {
        try {
          read |= poll(stream);
        } catch (RuntimeException e) {
          if (closed) {
            return;
          }
          LOG.warn(
              "polling the stream of {} in {} failed; retrying", stream.table, replica.region, e);
        }
      }
      if (!read) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private boolean poll(TableStream stream) {
    long now = System.currentTimeMillis();
    if (now >= stream.nextDescribe) {
      discoverShards(stream);
      stream.nextDescribe = now + 250;
    }
    boolean read = false;
    for (Map.Entry<String, String> shard : new ArrayList<>(stream.iterators.entrySet())) {
      if (shard.getValue() == null) {
        continue;
      }
      GetRecordsResponse response;
      try {
        response = streams.getRecords(r -> r.shardIterator(shard.getValue()).limit(1000));
      } catch (TrimmedDataAccessException | ExpiredIteratorException e) {
        // DynamoDB Local refuses an iterator taken on an empty shard once records arrive (and any
        // iterator expires): take a new one right after the last record read, without a gap.
        stream.iterators.put(shard.getKey(), iterator(stream, shard.getKey()));
        continue;
      }
      if (response.hasRecords() && !response.records().isEmpty()) {
        busy = true;
        try {
          for (Record record : response.records()) {
            handle(stream.table, record);
            stream.lastSequence.put(shard.getKey(), record.dynamodb().sequenceNumber());
          }
        } finally {
          busy = false;
        }
        read = true;
      }
      if (response.nextShardIterator() == null) {
        // A closed shard: done with it; its children are found by the next describe.
        stream.iterators.remove(shard.getKey());
        stream.finished.add(shard.getKey());
        stream.nextDescribe = 0;
      } else {
        stream.iterators.put(shard.getKey(), response.nextShardIterator());
      }
    }
    return read;
  }

  private void discoverShards(TableStream stream) {
    List<Shard> shards = new ArrayList<>();
    String last = null;
    do {
      String start = last;
      var description =
          streams
              .describeStream(r -> r.streamArn(stream.arn).exclusiveStartShardId(start))
              .streamDescription();
      shards.addAll(description.shards());
      last = description.lastEvaluatedShardId();
    } while (last != null);
    for (Shard shard : shards) {
      String id = shard.shardId();
      if (stream.iterators.containsKey(id) || stream.finished.contains(id)) {
        continue;
      }
      String parent = shard.parentShardId();
      boolean parentPending =
          parent != null
              && !stream.finished.contains(parent)
              && shards.stream().anyMatch(s -> s.shardId().equals(parent));
      if (parentPending) {
        continue; // a key's older changes are in the parent: read it to the end first
      }
      stream.iterators.put(id, iterator(stream, id));
    }
  }

  /** An iterator from just after the last record read from a shard, or from its start. */
  private String iterator(TableStream stream, String shardId) {
    String after = stream.lastSequence.get(shardId);
    return streams
        .getShardIterator(
            r -> {
              r.streamArn(stream.arn).shardId(shardId);
              if (after == null) {
                r.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
              } else {
                r.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after);
              }
            })
        .shardIterator();
  }

  private void handle(String table, Record record) {
    TableKeys keys = tables.apply(table);
    ItemRef ref = keys.refOf(record.dynamodb().keys());
    Map<String, AttributeValue> image =
        record.eventName() == OperationType.REMOVE || !record.dynamodb().hasNewImage()
            ? Map.of()
            : repaired(record.dynamodb().newImage());
    Stamp stamp;
    // A writer holds the item's lock from before its request until it has told the replica to
    // expect this record, and the record can be read before that: taking the lock waits for it.
    ItemLock lock = replica.lock(ref);
    Object key = lock.lock();
    try {
      Replica.Expected expected = replica.consume(ref, image);
      if (expected != null && expected.replicated()) {
        return; // applied by replication: never replicated again
      }
      if (expected != null) {
        stamp = inStreamOrder(ref, expected.stamp());
      } else {
        untracked.incrementAndGet();
        stamp = replica.stampLocalWrite(ref);
      }
      lastLocal.put(ref, stamp);
    } finally {
      lock.unlock(key);
    }
    for (PairReplicator pair : outgoing) {
      pair.enqueue(ref, stamp, image);
    }
  }

  /**
   * {@code stamp}, or just after the item's last local write read from this stream if that came
   * later. A writer's stamp is taken when its response arrives; when the SDK retried a request
   * whose first attempt applied, that first write's record is untracked and stamped as it is read,
   * which can be after the retry's stamp although the retry's write came after it. Without this,
   * the other regions would keep the first write and this one the retry's: replicas that never
   * converge. Call under the item's lock.
   */
  private Stamp inStreamOrder(ItemRef ref, Stamp stamp) {
    Stamp before = lastLocal.get(ref);
    if (before == null || stamp.after(before)) {
      return stamp;
    }
    Stamp later = new Stamp(before.millis() + 1, stamp.region());
    if (later.after(replica.stamp(ref))) {
      replica.adopt(ref, later);
    }
    return later;
  }

  /**
   * DynamoDB Local's stream renders an empty map attribute ({@code M={}}) as a value with no type
   * at all; put it back, so the image matches the item and can be written elsewhere.
   */
  static Map<String, AttributeValue> repaired(Map<String, AttributeValue> image) {
    Map<String, AttributeValue> copy = new LinkedHashMap<>();
    image.forEach((name, value) -> copy.put(name, repaired(value)));
    return copy;
  }

  private static AttributeValue repaired(AttributeValue value) {
    return switch (value.type()) {
      case UNKNOWN_TO_SDK_VERSION -> AttributeValue.fromM(Map.of());
      case M -> AttributeValue.fromM(repaired(value.m()));
      case L -> AttributeValue.fromL(value.l().stream().map(StreamPoller::repaired).toList());
      default -> value;
    };
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
