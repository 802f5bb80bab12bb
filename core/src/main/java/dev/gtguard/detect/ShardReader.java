package dev.gtguard.detect;

import dev.gtguard.LostWrite;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Reads one shard for one pass: from its checkpoint (or its oldest record), page by page, each page
 * delivered before the checkpoint moves past it. Any failure stays with the shard: it is logged,
 * the shard pauses ({@link ShardBackoff}), and the pass goes on with the other shards.
 */
final class ShardReader {
  private static final Logger LOG = LoggerFactory.getLogger(ShardReader.class);

  /** GetRecords' maximum. */
  private static final int PAGE_SIZE = 1000;

  /** Pages read from one shard in one pass at most, so that no shard starves the others. */
  private static final int MAX_PAGES_PER_SHARD = 100;

  /** Times one shard's iterator is re-acquired in one pass at most. */
  private static final int MAX_REACQUIRES = 3;

  /** How a shard's turn in a pass ended. */
  enum Outcome {
    /** Read up to its newest record, or up to the page limit: read on next pass. */
    READ,
    /** Closed and read to its end, or gone from the stream: its children come next. */
    FINISHED,
    /** A failure; the shard pauses and then reads again from its checkpoint. */
    FAILED,
    /** The poller is closing; what was delivered is checkpointed. */
    STOPPED
  }

  private final DynamoDbStreamsClient streams;
  private final CheckpointStore checkpoints;
  private final LostWriteDelivery delivery;
  private final String tableName;
  private final String region;

  ShardReader(
      DynamoDbStreamsClient streams,
      CheckpointStore checkpoints,
      LostWriteDelivery delivery,
      String tableName,
      String region) {
    this.streams = streams;
    this.checkpoints = checkpoints;
    this.delivery = delivery;
    this.tableName = tableName;
    this.region = region;
  }

  /** Reads the shard; the losses delivered are added to {@code found}. Never throws but fatal. */
  Outcome read(String arn, ShardCursor cursor, List<LostWrite> found, BooleanSupplier stop) {
    Outcome outcome;
    try {
      outcome = readPages(arn, cursor, found, stop);
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable e) {
      // Throttling (LimitExceededException), an iterator refused again and again, a network error,
      // a checkpoint store that fails: this shard's problem, not the other shards'.
      cursor.iterator = null;
      Duration pause = cursor.backoff.failed();
      LOG.warn(
          "reading shard {} of the stream of {} in {} failed ({} in a row); reading it again from"
              + " its checkpoint in {} ms, the other shards go on",
          cursor.shardId,
          tableName,
          region,
          cursor.backoff.failures(),
          pause.toMillis(),
          e);
      return Outcome.FAILED;
    }
    if (outcome == Outcome.FAILED) {
      Duration pause = cursor.backoff.failed();
      LOG.warn(
          "shard {} of the stream of {} in {}: delivery failed ({} in a row); reading it again from"
              + " its checkpoint in {} ms, the other shards go on",
          cursor.shardId,
          tableName,
          region,
          cursor.backoff.failures(),
          pause.toMillis());
    } else if (outcome != Outcome.STOPPED) {
      cursor.backoff.succeeded();
    }
    return outcome;
  }

  private Outcome readPages(
      String arn, ShardCursor cursor, List<LostWrite> found, BooleanSupplier stop) {
    if (!cursor.loaded) {
      // Never guess when the store cannot be read: from the oldest record would alarm twice.
      cursor.delivered = checkpoints.load(arn, cursor.shardId).orElse(null);
      cursor.saved = cursor.delivered;
      cursor.loaded = true;
    }
    save(arn, cursor); // a save that failed last time comes first
    int reacquires = 0;
    for (int page = 0; page < MAX_PAGES_PER_SHARD; page++) {
      if (stop.getAsBoolean()) {
        return Outcome.STOPPED;
      }
      if (cursor.iterator == null) {
        cursor.iterator = iterator(arn, cursor);
        if (cursor.iterator == null) {
          return Outcome.FINISHED; // the shard is gone
        }
      }
      String current = cursor.iterator;
      GetRecordsResponse response;
      try {
        response = streams.getRecords(r -> r.shardIterator(current).limit(PAGE_SIZE));
      } catch (TrimmedDataAccessException | ExpiredIteratorException e) {
        // An iterator expires after 15 minutes, and DynamoDB Local refuses one taken on an empty
        // shard once records arrive: take a new one right after the last record delivered.
        cursor.iterator = null;
        if (++reacquires > MAX_REACQUIRES) {
          throw e;
        }
        page--;
        continue;
      } catch (ResourceNotFoundException e) {
        LOG.warn(
            "shard {} of the stream of {} in {} is gone; moving on",
            cursor.shardId,
            tableName,
            region);
        return Outcome.FINISHED;
      }
      List<Record> records = response.hasRecords() ? response.records() : List.of();
      int delivered = delivery.deliver(cursor.shardId, records, found, stop);
      if (delivered > 0) {
        cursor.delivered = records.get(delivered - 1).dynamodb().sequenceNumber();
      }
      if (delivered < records.size()) {
        cursor.iterator = null; // the rest is read again, right after the last record delivered
        save(arn, cursor);
        return stop.getAsBoolean() ? Outcome.STOPPED : Outcome.FAILED;
      }
      save(arn, cursor);
      if (response.nextShardIterator() == null) {
        return Outcome.FINISHED; // closed and read to its end: its children come next
      }
      cursor.iterator = response.nextShardIterator();
      if (records.isEmpty()) {
        return Outcome.READ; // caught up
      }
    }
    return Outcome.READ;
  }

  private void save(String arn, ShardCursor cursor) {
    if (cursor.unsaved()) {
      checkpoints.save(arn, cursor.shardId, cursor.delivered);
      cursor.saved = cursor.delivered;
    }
  }

  /**
   * An iterator right after the last record delivered from a shard, or at its oldest record; null
   * if the shard is gone.
   */
  private String iterator(String arn, ShardCursor cursor) {
    String shardId = cursor.shardId;
    String after = cursor.delivered;
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
              tableName,
              region,
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
      LOG.warn("shard {} of the stream of {} in {} is gone; moving on", shardId, tableName, region);
      return null;
    }
  }
}
