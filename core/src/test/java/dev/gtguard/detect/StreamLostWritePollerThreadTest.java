package dev.gtguard.detect;

import static dev.gtguard.detect.StreamLostWritePollerDeliveryTest.loss;
import static dev.gtguard.detect.StreamLostWritePollerDeliveryTest.seq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.LostWrite;
import dev.gtguard.TableDescription;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The background thread: it survives what a callback throws, and {@code close()} returns only once
 * it no longer delivers. Waits are on latches (generous limits only so a broken build fails instead
 * of hanging); assertions are on counts and states.
 */
class StreamLostWritePollerThreadTest {
  private static final long PATIENCE_SECONDS = 30;

  private final FakeStreams streams = new FakeStreams();
  private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
  private final StreamDetector detector =
      StreamDetector.builder().table(TableDescription.of("t", "pk")).region("eu-west-1").build();

  private StreamLostWritePoller poller(Consumer<LostWrite> callback) {
    return StreamLostWritePoller.builder()
        .detector(detector)
        .streamsClient(streams)
        .streamArn(FakeStreams.ARN)
        .checkpointStore(checkpoints)
        .pollInterval(Duration.ofMillis(5))
        .shardBackoff(Duration.ofMillis(1), Duration.ofMillis(1))
        .onLostWrite(callback)
        .build();
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("latch reached").isTrue();
  }

  /** Until the thread waits (in a join or on a lock), or ends. */
  private static void awaitBlocked(Thread thread) throws InterruptedException {
    while (thread.getState() != Thread.State.WAITING
        && thread.getState() != Thread.State.TIMED_WAITING
        && thread.isAlive()) {
      Thread.sleep(1);
    }
  }

  @Test
  void start_callbackThrowsAnError_threadSurvivesAndDeliversTheLossLater() throws Exception {
    streams.shard("s1", null).add(loss("eu-18"));
    AtomicInteger attempts = new AtomicInteger();
    List<Thread> deliveringThreads = new CopyOnWriteArrayList<>();
    List<LostWrite> delivered = new CopyOnWriteArrayList<>();
    CountDownLatch deliveredOnce = new CountDownLatch(1);
    StreamLostWritePoller poller =
        poller(
            lost -> {
              deliveringThreads.add(Thread.currentThread());
              if (attempts.incrementAndGet() == 1) {
                throw new AssertionError("alarm client bug");
              }
              delivered.add(lost);
              deliveredOnce.countDown();
            });
    poller.start();

    await(deliveredOnce);
    poller.close();

    assertThat(attempts).hasValue(2);
    assertThat(delivered).extracting(LostWrite::writeToken).containsExactly("eu-18");
    assertThat(deliveringThreads).hasSize(2).allMatch(t -> t == deliveringThreads.get(0));
    assertThat(detector.reported("eu-18")).isTrue();
  }

  @Test
  void close_callbackBlockedInADelivery_returnsOnlyAfterItReturns() throws Exception {
    Record first = loss("eu-18");
    streams.shard("s1", null).add(first, loss("eu-19"));
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean returned = new AtomicBoolean();
    AtomicBoolean interrupted = new AtomicBoolean();
    List<LostWrite> offered = new CopyOnWriteArrayList<>();
    StreamLostWritePoller poller =
        poller(
            lost -> {
              offered.add(lost);
              entered.countDown();
              while (release.getCount() > 0) {
                try {
                  release.await();
                } catch (InterruptedException e) {
                  interrupted.set(true);
                }
              }
              returned.set(true);
            });
    poller.start();
    await(entered);

    // Bounded: the callback is still blocked, so the poller cannot have stopped.
    assertThat(poller.close(Duration.ofMillis(50))).isFalse();
    AtomicBoolean closeReturned = new AtomicBoolean();
    AtomicBoolean deliveryEndedFirst = new AtomicBoolean();
    Thread closer =
        new Thread(
            () -> {
              poller.close();
              deliveryEndedFirst.set(returned.get()); // what close() saw when it returned
              closeReturned.set(true);
            });
    closer.start();
    awaitBlocked(closer); // close() is waiting for the delivery
    assertThat(closeReturned).isFalse();
    release.countDown();

    closer.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
    assertThat(closeReturned).isTrue();
    assertThat(deliveryEndedFirst).isTrue();
    assertThat(interrupted).isFalse(); // close() waits; it does not interrupt the delivery
    assertThat(offered).extracting(LostWrite::writeToken).containsExactly("eu-18");
    assertThat(checkpoints.load(FakeStreams.ARN, "s1")).contains(seq(first));
    assertThat(detector.reported("eu-19")).isFalse();
    assertThat(poller.close(Duration.ZERO)).isTrue(); // idempotent, and stopped
  }

  @Test
  void start_callbackClosesItsPoller_closeReturnsAndTheThreadStops() throws Exception {
    streams.shard("s1", null).add(loss("eu-18"), loss("eu-19"));
    List<LostWrite> delivered = new CopyOnWriteArrayList<>();
    CountDownLatch closedFromCallback = new CountDownLatch(1);
    StreamLostWritePoller[] self = new StreamLostWritePoller[1];
    self[0] =
        poller(
            lost -> {
              delivered.add(lost);
              self[0].close(); // would deadlock if close() joined the thread it runs on
              closedFromCallback.countDown();
            });
    self[0].start();

    await(closedFromCallback);
    self[0].close();

    assertThat(delivered).extracting(LostWrite::writeToken).containsExactly("eu-18");
  }
}
