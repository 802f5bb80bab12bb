package dev.gtguard.detect;

import static dev.gtguard.detect.StreamRecords.modify;
import static dev.gtguard.detect.StreamRecords.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.LostWrite;
import dev.gtguard.TableDescription;
import dev.gtguard.detect.FakeStreams.FakeShard;
import dev.gtguard.spi.WriteListener;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Delivery through the {@code onLostWrite} callback against a scripted Streams API: a loss that was
 * not delivered is neither checkpointed nor marked reported, and is offered again after the shard's
 * pause. Time is a {@link MutableClock}: a pause ends only when the test moves it.
 */
class StreamLostWritePollerDeliveryTest {
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);

  private final FakeStreams streams = new FakeStreams();
  private final MutableClock clock = new MutableClock();
  private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
  private final StreamDetector detector =
      StreamDetector.builder().table(TableDescription.of("t", "pk")).region("eu-west-1").build();

  private StreamLostWritePoller.Builder builder() {
    return StreamLostWritePoller.builder()
        .detector(detector)
        .streamsClient(streams)
        .streamArn(FakeStreams.ARN)
        .checkpointStore(checkpoints)
        .shardBackoff(FIRST_PAUSE, Duration.ofSeconds(8))
        .clock(clock);
  }

  private StreamLostWritePoller poller(Consumer<LostWrite> callback) {
    return builder().onLostWrite(callback).build();
  }

  static Record increment(long from) {
    return modify(subscriber(from, "t" + from), subscriber(from + 1, "t" + (from + 1)));
  }

  static Record loss(String lostToken) {
    return modify(subscriber(18, lostToken), subscriber(18, "winner-" + lostToken));
  }

  static String seq(Record record) {
    return record.dynamodb().sequenceNumber();
  }

  private Optional<String> checkpoint(String shardId) {
    return checkpoints.load(FakeStreams.ARN, shardId);
  }

  /** A callback that fails with {@code failure} on its first {@code failures} calls. */
  private static Consumer<LostWrite> failingFirst(
      int failures, RuntimeException failure, List<LostWrite> delivered, AtomicInteger calls) {
    return lost -> {
      if (calls.incrementAndGet() <= failures) {
        throw failure;
      }
      delivered.add(lost);
    };
  }

  @Test
  void pollOnce_callbackThrows_lossNeitherCheckpointedNorReportedAndOfferedAgainAfterThePause() {
    Record before = increment(1);
    Record lost = loss("eu-18");
    Record after = increment(19);
    streams.shard("s1", null).add(before, lost, after);
    List<LostWrite> delivered = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    StreamLostWritePoller poller =
        poller(failingFirst(1, new IllegalStateException("alarms down"), delivered, calls));

    assertThat(poller.pollOnce()).isEmpty();
    assertThat(detector.reported("eu-18")).isFalse();
    assertThat(checkpoint("s1")).contains(seq(before)); // stops at the record before the loss

    assertThat(poller.pollOnce()).isEmpty(); // pausing: not even read
    assertThat(calls).hasValue(1);

    clock.advance(FIRST_PAUSE);
    assertThat(poller.pollOnce()).extracting(LostWrite::writeToken).containsExactly("eu-18");
    assertThat(streams.calls).contains("iterator s1 AFTER_SEQUENCE_NUMBER " + seq(before));
    assertThat(delivered).extracting(LostWrite::writeToken).containsExactly("eu-18");
    assertThat(detector.reported("eu-18")).isTrue();
    assertThat(checkpoint("s1")).contains(seq(after));
  }

  @Test
  void pollOnce_callbackThrowsAnError_lossNotReportedAndDeliveredLater() {
    streams.shard("s1", null).add(loss("eu-18"));
    AtomicInteger calls = new AtomicInteger();
    List<LostWrite> delivered = new CopyOnWriteArrayList<>();
    StreamLostWritePoller poller =
        poller(
            lost -> {
              if (calls.incrementAndGet() == 1) {
                throw new NoClassDefFoundError("com/example/AlarmClient");
              }
              delivered.add(lost);
            });

    assertThat(poller.pollOnce()).isEmpty();
    assertThat(detector.reported("eu-18")).isFalse();
    assertThat(checkpoint("s1")).isEmpty();

    clock.advance(FIRST_PAUSE);
    assertThat(poller.pollOnce()).hasSize(1);
    assertThat(delivered).extracting(LostWrite::writeToken).containsExactly("eu-18");
  }

  @Test
  void pollOnce_listenersHearALossOnlyOnceDelivered() {
    streams.shard("s1", null).add(loss("eu-18"));
    List<LostWrite> heard = new CopyOnWriteArrayList<>();
    WriteListener listener =
        new WriteListener() {
          @Override
          public void onLostWrite(LostWrite lost) {
            heard.add(lost);
          }
        };
    StreamLostWritePoller poller =
        builder()
            .listener(listener)
            .onLostWrite(
                failingFirst(
                    2,
                    new IllegalStateException("down"),
                    new CopyOnWriteArrayList<>(),
                    new AtomicInteger()))
            .build();

    poller.pollOnce();
    clock.advance(FIRST_PAUSE);
    poller.pollOnce();
    assertThat(heard).isEmpty();

    clock.advance(FIRST_PAUSE.multipliedBy(2));
    poller.pollOnce();
    assertThat(heard).extracting(LostWrite::writeToken).containsExactly("eu-18");
  }

  @Test
  void pollOnce_callbackKeepsFailing_pauseDoublesUpToItsCap() {
    streams.shard("s1", null).add(loss("eu-18"));
    AtomicInteger calls = new AtomicInteger();
    StreamLostWritePoller poller =
        poller(
            failingFirst(
                100, new IllegalStateException("down"), new CopyOnWriteArrayList<>(), calls));

    // pauses 1, 2, 4, 8, 8 s: a call only once each pause has passed, never before
    for (long pause : new long[] {1, 2, 4, 8, 8}) {
      poller.pollOnce();
      int attempts = calls.get();
      clock.advance(Duration.ofSeconds(pause).minusMillis(1));
      poller.pollOnce();
      assertThat(calls).hasValue(attempts);
      clock.advance(Duration.ofMillis(1));
    }
    assertThat(calls).hasValue(5);
  }

  @Test
  void pollOnce_recordSinkThrows_pageReadAgainAndNothingDelivered() {
    Record lost = loss("eu-18");
    streams.shard("s1", null).add(increment(1), lost);
    AtomicInteger batches = new AtomicInteger();
    List<LostWrite> delivered = new CopyOnWriteArrayList<>();
    StreamLostWritePoller poller =
        builder()
            .onRecords(
                records -> {
                  if (batches.incrementAndGet() == 1) {
                    throw new IllegalStateException("reconciler full");
                  }
                })
            .onLostWrite(delivered::add)
            .build();

    assertThat(poller.pollOnce()).isEmpty();
    assertThat(detector.reported("eu-18")).isFalse();
    assertThat(checkpoint("s1")).isEmpty();

    clock.advance(FIRST_PAUSE);
    assertThat(poller.pollOnce()).hasSize(1);
    assertThat(batches).hasValue(2);
    assertThat(checkpoint("s1")).contains(seq(lost));
  }

  @Test
  void pollOnce_restartedWithTheSameStore_resumesRightAfterTheLastDelivered() {
    Record first = loss("eu-18");
    FakeShard shard = streams.shard("s1", null).add(first);
    List<LostWrite> delivered = new CopyOnWriteArrayList<>();
    try (StreamLostWritePoller before = poller(delivered::add)) {
      before.pollOnce();
    }
    shard.add(loss("eu-19"));

    StreamLostWritePoller restarted =
        StreamLostWritePoller.builder()
            .detector(
                StreamDetector.builder()
                    .table(TableDescription.of("t", "pk"))
                    .region("eu-west-1")
                    .build())
            .streamsClient(streams)
            .streamArn(FakeStreams.ARN)
            .checkpointStore(checkpoints)
            .onLostWrite(delivered::add)
            .build();

    assertThat(restarted.pollOnce()).extracting(LostWrite::writeToken).containsExactly("eu-19");
    assertThat(delivered).extracting(LostWrite::writeToken).containsExactly("eu-18", "eu-19");
    assertThat(streams.calls).containsOnlyOnce("iterator s1 TRIM_HORIZON");
    assertThat(streams.calls).contains("iterator s1 AFTER_SEQUENCE_NUMBER " + seq(first));
  }

  @Test
  void pollOnce_checkpointCannotBeLoaded_shardWaitsInsteadOfReadingFromTheOldest() {
    streams.shard("s1", null).add(loss("s1-loss"));
    streams.shard("s2", null).add(loss("s2-loss"));
    AtomicInteger failedLoads = new AtomicInteger();
    CheckpointStore flaky =
        new CheckpointStore() {
          @Override
          public Optional<String> load(String streamArn, String shardId) {
            if (shardId.equals("s1") && failedLoads.incrementAndGet() == 1) {
              throw new IllegalStateException("checkpoint table throttled");
            }
            return checkpoints.load(streamArn, shardId);
          }

          @Override
          public void save(String streamArn, String shardId, String sequenceNumber) {
            checkpoints.save(streamArn, shardId, sequenceNumber);
          }
        };
    StreamLostWritePoller poller = builder().checkpointStore(flaky).build();

    assertThat(poller.pollOnce()).extracting(LostWrite::writeToken).containsExactly("s2-loss");
    assertThat(streams.calls).noneMatch(c -> c.startsWith("iterator s1"));

    clock.advance(FIRST_PAUSE);
    assertThat(poller.pollOnce()).extracting(LostWrite::writeToken).containsExactly("s1-loss");
  }

  @Test
  void pollOnce_checkpointCannotBeSaved_savedBeforeReadingOnAndNothingDeliveredTwice() {
    Record lost = loss("eu-18");
    FakeShard shard = streams.shard("s1", null).add(lost);
    AtomicInteger saves = new AtomicInteger();
    CheckpointStore flaky =
        new CheckpointStore() {
          @Override
          public Optional<String> load(String streamArn, String shardId) {
            return checkpoints.load(streamArn, shardId);
          }

          @Override
          public void save(String streamArn, String shardId, String sequenceNumber) {
            if (saves.incrementAndGet() == 1) {
              throw new IllegalStateException("checkpoint table throttled");
            }
            checkpoints.save(streamArn, shardId, sequenceNumber);
          }
        };
    List<LostWrite> delivered = new CopyOnWriteArrayList<>();
    StreamLostWritePoller poller =
        builder().checkpointStore(flaky).onLostWrite(delivered::add).build();

    assertThat(poller.pollOnce()).hasSize(1); // delivered; only the save failed
    assertThat(checkpoint("s1")).isEmpty();
    shard.add(increment(19));

    clock.advance(FIRST_PAUSE);
    assertThat(poller.pollOnce()).isEmpty();
    assertThat(delivered).hasSize(1);
    assertThat(checkpoint("s1")).contains(seq(shard.records.get(1)));
    assertThat(streams.reads()).containsExactly(seq(lost), seq(shard.records.get(1)));
  }

  @Test
  void pollOnce_callbackClosesThePoller_returnsAndThePollerStaysClosed() {
    streams.shard("s1", null).add(loss("eu-18"), loss("eu-19"));
    List<LostWrite> delivered = new CopyOnWriteArrayList<>();
    StreamLostWritePoller[] self = new StreamLostWritePoller[1];
    self[0] =
        poller(
            lost -> {
              delivered.add(lost);
              self[0].close();
            });

    assertThat(self[0].pollOnce()).extracting(LostWrite::writeToken).containsExactly("eu-18");
    assertThat(checkpoint("s1")).contains(seq(streams.shard("s1", null).records.get(0)));
    assertThat(detector.reported("eu-19")).isFalse();
    assertThatThrownBy(self[0]::pollOnce).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void builder_shardBackoffOutOfRange_refused() {
    assertThatThrownBy(
            () ->
                StreamLostWritePoller.builder().shardBackoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                StreamLostWritePoller.builder()
                    .shardBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
