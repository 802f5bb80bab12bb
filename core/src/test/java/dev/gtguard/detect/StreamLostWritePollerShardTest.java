package dev.gtguard.detect;

import static dev.gtguard.detect.StreamRecords.modify;
import static dev.gtguard.detect.StreamRecords.subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.LostWrite;
import dev.gtguard.TableDescription;
import dev.gtguard.detect.FakeStreams.FakeShard;
import dev.gtguard.spi.WriteListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;

/**
 * Shard handling against a scripted Streams API, where DynamoDB Local cannot be made to split
 * shards, expire iterators or trim records on demand.
 */
class StreamLostWritePollerShardTest {
  private final FakeStreams streams = new FakeStreams();

  private StreamLostWritePoller poller(WriteListener... listeners) {
    StreamLostWritePoller.Builder builder =
        StreamLostWritePoller.builder()
            .detector(
                StreamDetector.builder()
                    .table(TableDescription.of("t", "pk"))
                    .region("eu-west-1")
                    .build())
            .streamsClient(streams)
            .streamArn(FakeStreams.ARN);
    for (WriteListener listener : listeners) {
      builder.listener(listener);
    }
    return builder.build();
  }

  private static Record increment(long from) {
    return modify(subscriber(from, "t" + from), subscriber(from + 1, "t" + (from + 1)));
  }

  private static Record loss(String lostToken) {
    return modify(subscriber(18, lostToken), subscriber(18, "winner-" + lostToken));
  }

  private static String seq(Record record) {
    return record.dynamodb().sequenceNumber();
  }

  @Test
  void pollOnce_newShard_readsFromItsOldestRecord() {
    Record lost = loss("eu-18");
    streams.shard("s1", null).add(lost, increment(18));

    assertThat(poller().pollOnce()).extracting(LostWrite::writeToken).containsExactly("eu-18");
    assertThat(streams.calls).contains("iterator s1 TRIM_HORIZON");
  }

  @Test
  void pollOnce_manyPages_readsThemAllInOnePass() {
    streams.pageSize = 2;
    FakeShard shard = streams.shard("s1", null);
    for (int i = 0; i < 7; i++) {
      shard.add(increment(i));
    }
    shard.add(loss("late"));

    assertThat(poller().pollOnce()).extracting(LostWrite::writeToken).containsExactly("late");
    assertThat(streams.reads()).hasSize(8).doesNotHaveDuplicates();
  }

  @Test
  void pollOnce_trimmedIterator_resumesRightAfterTheLastRecordRead() {
    Record first = increment(1);
    Record second = increment(2);
    FakeShard shard = streams.shard("s1", null).add(first, second);
    StreamLostWritePoller poller = poller();
    assertThat(poller.pollOnce()).isEmpty();

    shard.add(loss("eu-18"));
    shard.getRecordsFailures.add(TrimmedDataAccessException.builder().message("x").build());
    List<LostWrite> found = poller.pollOnce();

    assertThat(found).extracting(LostWrite::writeToken).containsExactly("eu-18");
    assertThat(streams.calls).contains("iterator s1 AFTER_SEQUENCE_NUMBER " + seq(second));
    assertThat(streams.reads()).hasSize(3).doesNotHaveDuplicates();
  }

  @Test
  void pollOnce_expiredIterator_resumesRightAfterTheLastRecordRead() {
    Record first = increment(1);
    FakeShard shard = streams.shard("s1", null).add(first);
    StreamLostWritePoller poller = poller();
    poller.pollOnce();

    shard.add(loss("eu-18"));
    shard.getRecordsFailures.add(ExpiredIteratorException.builder().message("x").build());

    assertThat(poller.pollOnce()).extracting(LostWrite::writeToken).containsExactly("eu-18");
    assertThat(streams.calls).contains("iterator s1 AFTER_SEQUENCE_NUMBER " + seq(first));
    assertThat(streams.reads()).hasSize(2).doesNotHaveDuplicates();
  }

  @Test
  void pollOnce_iteratorRefusedBeforeAnyRecordWasRead_startsAtTheOldestRecord() {
    FakeShard shard = streams.shard("s1", null);
    StreamLostWritePoller poller = poller();
    poller.pollOnce(); // an iterator on an empty shard, as DynamoDB Local refuses once records come

    shard.add(loss("eu-18"));
    shard.getRecordsFailures.add(TrimmedDataAccessException.builder().message("x").build());

    assertThat(poller.pollOnce()).extracting(LostWrite::writeToken).containsExactly("eu-18");
    assertThat(streams.calls.stream().filter(c -> c.equals("iterator s1 TRIM_HORIZON"))).hasSize(2);
  }

  @Test
  void pollOnce_recordsAfterTheLastReadAlreadyTrimmed_startsOverAtTheOldestLeft() {
    FakeShard shard = streams.shard("s1", null).add(increment(1));
    StreamLostWritePoller poller = poller();
    poller.pollOnce();

    shard.add(increment(2), loss("eu-18"));
    shard.trimmedBefore = 2; // the first two are gone, the one after the last read among them
    shard.getRecordsFailures.add(ExpiredIteratorException.builder().message("x").build());
    shard.afterSequenceFailures.add(TrimmedDataAccessException.builder().message("x").build());

    assertThat(poller.pollOnce()).extracting(LostWrite::writeToken).containsExactly("eu-18");
    assertThat(streams.calls)
        .endsWith(
            "iterator s1 TRIM_HORIZON", "read " + shard.records.get(2).dynamodb().sequenceNumber());
  }

  @Test
  void pollOnce_closedParent_readToItsEndBeforeItsChildrenInOnePass() {
    Record parentFirst = increment(17);
    Record parentLast = increment(18);
    Record childLoss = loss("eu-18");
    // described child first, to show order comes from the parent link, not the listing
    streams.shard("child", "parent").add(childLoss);
    FakeShard parent = streams.shard("parent", null).add(parentFirst, parentLast);
    parent.closed = true;

    List<LostWrite> found = poller().pollOnce();

    assertThat(found).extracting(LostWrite::writeToken).containsExactly("eu-18");
    assertThat(streams.reads()).containsExactly(seq(parentFirst), seq(parentLast), seq(childLoss));
  }

  @Test
  void pollOnce_openParent_childWaitsUntilTheParentCloses() {
    FakeShard parent = streams.shard("parent", null).add(increment(17));
    streams.shard("child", "parent").add(loss("eu-18"));
    StreamLostWritePoller poller = poller();

    assertThat(poller.pollOnce()).isEmpty();
    assertThat(streams.calls).noneMatch(c -> c.startsWith("iterator child"));

    parent.add(increment(18));
    parent.closed = true;
    assertThat(poller.pollOnce()).extracting(LostWrite::writeToken).containsExactly("eu-18");
    assertThat(poller.pollOnce()).isEmpty();
    assertThat(streams.reads()).hasSize(3).doesNotHaveDuplicates();
  }

  @Test
  void pollOnce_closedShardReadToItsEnd_isNotReadAgain() {
    FakeShard shard = streams.shard("s1", null).add(increment(1));
    shard.closed = true;
    StreamLostWritePoller poller = poller();
    poller.pollOnce();
    int calls = streams.calls.size();

    poller.pollOnce();

    assertThat(streams.calls.subList(calls, streams.calls.size())).containsOnly("describe");
  }

  @Test
  void pollOnce_replayedLossInALaterShard_reportedOnce() {
    Record lost = loss("eu-18");
    FakeShard parent = streams.shard("parent", null).add(lost);
    parent.closed = true;
    streams.shard("child", "parent").add(lost);

    assertThat(poller().pollOnce()).hasSize(1);
  }

  @Test
  void pollOnce_failingListener_othersStillHearAndTheLossIsReturned() {
    streams.shard("s1", null).add(loss("eu-18"));
    List<LostWrite> heard = new CopyOnWriteArrayList<>();
    WriteListener broken =
        new WriteListener() {
          @Override
          public void onLostWrite(LostWrite lost) {
            throw new IllegalStateException("alarm system down");
          }
        };
    WriteListener working =
        new WriteListener() {
          @Override
          public void onLostWrite(LostWrite lost) {
            heard.add(lost);
          }
        };

    assertThat(poller(broken, working).pollOnce()).hasSize(1);
    assertThat(heard).hasSize(1);
  }
}
