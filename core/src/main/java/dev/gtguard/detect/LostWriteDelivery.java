package dev.gtguard.detect;

import dev.gtguard.LostWrite;
import dev.gtguard.internal.Listeners;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Hands one page of a shard's records to the poller's consumers: the record sink, then each lost
 * write to the delivery sink and, once delivered, to the listeners. Delivery stops at the first
 * failure, and reports how many records were fully delivered, so the checkpoint never passes a
 * record whose loss did not get through.
 *
 * <p>The delivery sink is the user's {@code onLostWrite} callback and is not swallowed: whatever it
 * throws, an {@link Error} included, means "not delivered" (only a {@link VirtualMachineError}
 * propagates: the JVM cannot go on). The listeners are metrics and logging hooks; {@link Listeners}
 * swallows their failures, as on the write path.
 */
final class LostWriteDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(LostWriteDelivery.class);

  private final StreamDetector detector;
  private final Consumer<List<Record>> recordSink;
  private final Consumer<LostWrite> sink;
  private final Listeners listeners;

  /**
   * @param recordSink may be null
   * @param sink may be null: then delivery is to the listeners alone, which never fails
   */
  LostWriteDelivery(
      StreamDetector detector,
      Consumer<List<Record>> recordSink,
      Consumer<LostWrite> sink,
      Listeners listeners) {
    this.detector = detector;
    this.recordSink = recordSink;
    this.sink = sink;
    this.listeners = listeners;
  }

  /**
   * Delivers a page; adds each delivered loss to {@code delivered}. Returns how many records, from
   * the first, were delivered: fewer than the page holds if a sink failed or {@code stop} turned
   * true, in which case the loss not delivered is forgotten by the detector, so that reading the
   * shard again from the last delivered record reports it again.
   */
  int deliver(String shardId, List<Record> page, List<LostWrite> delivered, BooleanSupplier stop) {
    if (page.isEmpty()) {
      return 0;
    }
    if (recordSink != null && !offerRecords(shardId, page)) {
      return 0;
    }
    for (int i = 0; i < page.size(); i++) {
      LostWrite lost = detector.detect(page.get(i), detector.region());
      if (lost == null) {
        continue;
      }
      if (stop.getAsBoolean() || !offer(shardId, lost)) {
        detector.forget(List.of(lost.writeToken()));
        return i;
      }
      listeners.onLostWrite(lost);
      delivered.add(lost);
    }
    return page.size();
  }

  private boolean offerRecords(String shardId, List<Record> page) {
    try {
      recordSink.accept(page);
      return true;
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable e) {
      LOG.warn(
          "the record sink failed on {} records of shard {} of the stream of {} in {}; they will"
              + " be read again",
          page.size(),
          shardId,
          detector.tableName(),
          detector.region(),
          e);
      return false;
    }
  }

  private boolean offer(String shardId, LostWrite lost) {
    if (sink == null) {
      return true;
    }
    try {
      sink.accept(lost);
      return true;
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable e) {
      // Keys and tokens only: the lost item's values stay out of the log.
      LOG.warn(
          "the onLostWrite callback failed on the lost write {} of item {} of {} (shard {}, {});"
              + " not delivered, it will be reported again",
          lost.writeToken(),
          lost.key(),
          detector.tableName(),
          shardId,
          detector.region(),
          e);
      return false;
    }
  }
}
