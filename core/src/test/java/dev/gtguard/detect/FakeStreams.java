package dev.gtguard.detect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A scripted DynamoDB Streams API: shards with records, closed or open, parent links, one page
 * limit, failures queued per shard, and a log of every call. Iterators are {@code shard@position}.
 */
final class FakeStreams implements DynamoDbStreamsClient {
  static final String ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/1";

  private final Map<String, FakeShard> shards = new LinkedHashMap<>();
  final List<String> calls = new ArrayList<>();
  int pageSize = 1000;

  static final class FakeShard {
    final String id;
    final String parent;
    final List<Record> records = new ArrayList<>();
    final Deque<RuntimeException> getRecordsFailures = new ArrayDeque<>();
    final Deque<RuntimeException> afterSequenceFailures = new ArrayDeque<>();
    int trimmedBefore; // records before this index are gone
    boolean closed;

    FakeShard(String id, String parent) {
      this.id = id;
      this.parent = parent;
    }

    FakeShard add(Record... more) {
      records.addAll(List.of(more));
      return this;
    }
  }

  FakeShard shard(String id, String parent) {
    return shards.computeIfAbsent(id, k -> new FakeShard(id, parent));
  }

  /** Records read by GetRecords, in order, by sequence number. */
  List<String> reads() {
    return calls.stream().filter(c -> c.startsWith("read ")).map(c -> c.substring(5)).toList();
  }

  @Override
  public DescribeStreamResponse describeStream(DescribeStreamRequest request) {
    calls.add("describe");
    List<Shard> described = new ArrayList<>();
    for (FakeShard s : shards.values()) {
      described.add(Shard.builder().shardId(s.id).parentShardId(s.parent).build());
    }
    return DescribeStreamResponse.builder()
        .streamDescription(
            d ->
                d.streamArn(ARN)
                    .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
                    .shards(described))
        .build();
  }

  @Override
  public GetShardIteratorResponse getShardIterator(GetShardIteratorRequest request) {
    FakeShard shard = shards.get(request.shardId());
    calls.add(
        "iterator "
            + request.shardId()
            + " "
            + request.shardIteratorType()
            + (request.sequenceNumber() == null ? "" : " " + request.sequenceNumber()));
    if (shard == null) {
      throw ResourceNotFoundException.builder().message("no shard").build();
    }
    int position =
        switch (request.shardIteratorType()) {
          case TRIM_HORIZON -> shard.trimmedBefore;
          case LATEST -> shard.records.size();
          case AFTER_SEQUENCE_NUMBER -> {
            if (!shard.afterSequenceFailures.isEmpty()) {
              throw shard.afterSequenceFailures.poll();
            }
            yield indexOf(shard, request.sequenceNumber()) + 1;
          }
          case AT_SEQUENCE_NUMBER -> indexOf(shard, request.sequenceNumber());
          default -> throw new IllegalArgumentException(request.shardIteratorTypeAsString());
        };
    return GetShardIteratorResponse.builder().shardIterator(shard.id + "@" + position).build();
  }

  @Override
  public GetRecordsResponse getRecords(GetRecordsRequest request) {
    String[] parts = request.shardIterator().split("@");
    FakeShard shard = shards.get(parts[0]);
    if (!shard.getRecordsFailures.isEmpty()) {
      RuntimeException failure = shard.getRecordsFailures.poll();
      calls.add("refused " + shard.id + " " + failure.getClass().getSimpleName());
      throw failure;
    }
    int position = Integer.parseInt(parts[1]);
    if (position < shard.trimmedBefore) {
      throw TrimmedDataAccessException.builder().message("trimmed").build();
    }
    int limit = Math.min(request.limit() == null ? 1000 : request.limit(), pageSize);
    int end = Math.min(shard.records.size(), position + limit);
    List<Record> page = new ArrayList<>(shard.records.subList(position, end));
    page.forEach(r -> calls.add("read " + r.dynamodb().sequenceNumber()));
    String next = shard.closed && end == shard.records.size() ? null : shard.id + "@" + end;
    return GetRecordsResponse.builder().records(page).nextShardIterator(next).build();
  }

  private static int indexOf(FakeShard shard, String sequenceNumber) {
    for (int i = 0; i < shard.records.size(); i++) {
      if (shard.records.get(i).dynamodb().sequenceNumber().equals(sequenceNumber)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no record " + sequenceNumber + " in " + shard.id);
  }

  @Override
  public String serviceName() {
    return "dynamodb";
  }

  @Override
  public void close() {}
}
