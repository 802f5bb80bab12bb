package dev.gtguard.detect;

import static dev.gtguard.detect.StreamLostWritePollerDeliveryTest.increment;
import static dev.gtguard.detect.StreamLostWritePollerDeliveryTest.loss;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.LostWrite;
import dev.gtguard.TableDescription;
import dev.gtguard.detect.FakeStreams.FakeShard;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;

/**
 * One failing shard does not starve the others: its failure stays with it (a pause), and the other
 * shards' losses are delivered in the same pass. The failing shard is listed first, so that a pass
 * that stopped at the first failure would never reach the others.
 */
class StreamLostWritePollerIsolationTest {
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);

  private final FakeStreams streams = new FakeStreams();
  private final MutableClock clock = new MutableClock();
  private final List<LostWrite> delivered = new CopyOnWriteArrayList<>();

  private StreamLostWritePoller poller() {
    return StreamLostWritePoller.builder()
        .detector(
            StreamDetector.builder()
                .table(TableDescription.of("t", "pk"))
                .region("eu-west-1")
                .build())
        .streamsClient(streams)
        .streamArn(FakeStreams.ARN)
        .shardBackoff(FIRST_PAUSE, Duration.ofMinutes(1))
        .clock(clock)
        .onLostWrite(
            lost -> {
              if (lost.writeToken().startsWith("poison")) {
                throw new IllegalStateException("alarm rejected");
              }
              delivered.add(lost);
            })
        .build();
  }

  private static LimitExceededException throttled() {
    return LimitExceededException.builder().message("Rate exceeded for shard").build();
  }

  @Test
  void pollOnce_oneShardThrottled_otherShardsLossesDeliveredInTheSamePass() {
    FakeShard throttled = streams.shard("s1", null).add(loss("s1-loss"));
    for (int i = 0; i < 10; i++) {
      throttled.getRecordsFailures.add(throttled());
    }
    streams.shard("s2", null).add(loss("s2-loss"));
    streams.shard("s3", null).add(increment(1), loss("s3-loss"));
    StreamLostWritePoller poller = poller();

    assertThat(poller.pollOnce())
        .extracting(LostWrite::writeToken)
        .containsExactly("s2-loss", "s3-loss");
    assertThat(streams.calls).containsOnlyOnce("refused s1 LimitExceededException");

    throttled.getRecordsFailures.clear();
    clock.advance(FIRST_PAUSE);
    assertThat(poller.pollOnce()).extracting(LostWrite::writeToken).containsExactly("s1-loss");
    assertThat(delivered)
        .extracting(LostWrite::writeToken)
        .containsExactly("s2-loss", "s3-loss", "s1-loss");
  }

  @Test
  void pollOnce_iteratorRefusedAgainAndAgain_otherShardsStillRead() {
    FakeShard expiring = streams.shard("s1", null).add(loss("s1-loss"));
    for (int i = 0; i < 10; i++) {
      expiring.getRecordsFailures.add(ExpiredIteratorException.builder().message("x").build());
    }
    streams.shard("s2", null).add(loss("s2-loss"));

    assertThat(poller().pollOnce()).extracting(LostWrite::writeToken).containsExactly("s2-loss");
  }

  @Test
  void pollOnce_networkErrorOnOneShard_otherShardsStillRead() {
    streams
        .shard("s1", null)
        .add(loss("s1-loss"))
        .getRecordsFailures
        .add(SdkClientException.create("connection reset"));
    streams.shard("s2", null).add(loss("s2-loss"));

    assertThat(poller().pollOnce()).extracting(LostWrite::writeToken).containsExactly("s2-loss");
  }

  @Test
  void pollOnce_callbackFailsOnOneShardsLoss_otherShardsLossesDeliveredInTheSamePass() {
    streams.shard("s1", null).add(loss("poison-1"), loss("s1-after"));
    streams.shard("s2", null).add(loss("s2-loss"));
    StreamLostWritePoller poller = poller();

    assertThat(poller.pollOnce()).extracting(LostWrite::writeToken).containsExactly("s2-loss");

    // s1 stays at its poison loss: what follows it waits, in order, and is never skipped
    clock.advance(FIRST_PAUSE);
    assertThat(poller.pollOnce()).isEmpty();
    assertThat(delivered).extracting(LostWrite::writeToken).containsExactly("s2-loss");
  }
}
