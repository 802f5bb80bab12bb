package dev.gtguard.detect;

import static dev.gtguard.detect.StreamRecords.modify;
import static dev.gtguard.detect.StreamRecords.n;
import static dev.gtguard.detect.StreamRecords.s;
import static dev.gtguard.detect.StreamRecords.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.TableDescription;
import dev.gtguard.spi.WriteListener;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

class LambdaStreamHandlerTest {
  private static final String ARN =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/subscribers/stream/2024-11-22T14:07:12.140";

  private static StreamDetector detector() {
    return StreamDetector.builder()
        .table(TableDescription.of("subscribers", "pk"))
        .region("eu-west-1")
        .build();
  }

  private static LambdaStreamHandler handler(WriteListener... listeners) {
    LambdaStreamHandler.Builder builder = LambdaStreamHandler.builder().detector(detector());
    for (WriteListener l : listeners) {
      builder.listener(l);
    }
    return builder.build();
  }

  // --- SDK to Lambda, only to build events and check round trips -------------------------------

  private static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue lambda(
      AttributeValue v) {
    var out = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
    switch (v.type()) {
      case S -> out.setS(v.s());
      case N -> out.setN(v.n());
      case B -> out.setB(v.b().asByteBuffer());
      case SS -> out.setSS(v.ss());
      case NS -> out.setNS(v.ns());
      case BS -> out.setBS(v.bs().stream().map(SdkBytes::asByteBuffer).toList());
      case M -> out.setM(lambdaItem(v.m()));
      case L -> out.setL(v.l().stream().map(LambdaStreamHandlerTest::lambda).toList());
      case NUL -> out.setNULL(v.nul());
      case BOOL -> out.setBOOL(v.bool());
      default -> throw new IllegalArgumentException(v.toString());
    }
    return out;
  }

  private static Map<
          String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue>
      lambdaItem(Map<String, AttributeValue> item) {
    Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> out =
        new LinkedHashMap<>();
    item.forEach((k, v) -> out.put(k, lambda(v)));
    return out;
  }

  private static DynamodbStreamRecord lambdaRecord(Record sdk, String awsRegion) {
    DynamodbStreamRecord out = new DynamodbStreamRecord();
    out.setEventID(sdk.eventID());
    out.setEventName(sdk.eventNameAsString());
    out.setEventVersion("1.1");
    out.setEventSource("aws:dynamodb");
    out.setAwsRegion(awsRegion);
    out.setEventSourceARN(ARN);
    StreamRecord change = new StreamRecord();
    change.setSequenceNumber(sdk.dynamodb().sequenceNumber());
    change.setSizeBytes(123L);
    change.setStreamViewType(
        com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType
            .NEW_AND_OLD_IMAGES);
    change.setApproximateCreationDateTime(Date.from(Instant.parse("2024-11-22T14:07:12Z")));
    change.setKeys(lambdaItem(sdk.dynamodb().keys()));
    if (sdk.dynamodb().hasOldImage()) {
      change.setOldImage(lambdaItem(sdk.dynamodb().oldImage()));
    }
    if (sdk.dynamodb().hasNewImage()) {
      change.setNewImage(lambdaItem(sdk.dynamodb().newImage()));
    }
    out.setDynamodb(change);
    return out;
  }

  private static DynamodbEvent event(DynamodbStreamRecord... records) {
    DynamodbEvent event = new DynamodbEvent();
    event.setRecords(new ArrayList<>(List.of(records)));
    return event;
  }

  /** An item with every attribute type DynamoDB has, nested in maps and lists too. */
  private static Map<String, AttributeValue> everyType() {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", s("sub#1"));
    item.put("s", s("text"));
    item.put("n", AttributeValue.fromN("-12.5e3"));
    item.put("b", AttributeValue.fromB(SdkBytes.fromUtf8String("bytes")));
    item.put("ss", AttributeValue.fromSs(List.of("a", "b")));
    item.put("ns", AttributeValue.fromNs(List.of("1", "2.5")));
    item.put(
        "bs",
        AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("x"), SdkBytes.fromUtf8String("y"))));
    item.put("null", AttributeValue.fromNul(true));
    item.put("true", AttributeValue.fromBool(true));
    item.put("false", AttributeValue.fromBool(false));
    item.put("emptyMap", AttributeValue.fromM(Map.of()));
    item.put("emptyList", AttributeValue.fromL(List.of()));
    item.put(
        "m",
        AttributeValue.fromM(
            Map.of(
                "inner", s("v"),
                "deeper", AttributeValue.fromM(Map.of("flag", AttributeValue.fromBool(false))))));
    item.put(
        "l",
        AttributeValue.fromL(
            List.of(
                n(1),
                s("two"),
                AttributeValue.fromNul(true),
                AttributeValue.fromL(List.of(AttributeValue.fromSs(List.of("z")))),
                AttributeValue.fromM(
                    Map.of("k", AttributeValue.fromB(SdkBytes.fromUtf8String("q")))))));
    return item;
  }

  @Test
  void toSdkItem_everyAttributeType_roundTripsUnchanged() {
    Map<String, AttributeValue> item = everyType();

    Map<String, AttributeValue> back = LambdaStreamHandler.toSdkItem(lambdaItem(item));

    assertThat(back).isEqualTo(item);
    assertThat(back.keySet()).containsExactlyElementsOf(item.keySet());
    for (String name : item.keySet()) {
      assertThat(back.get(name).type()).as(name).isEqualTo(item.get(name).type());
    }
  }

  @Test
  void toSdkAttributeValue_eachTypeBuiltByHand_convertsToTheSdkEquivalent() {
    var sv = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue("x");
    var nv = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
    nv.setN("42");
    var bv = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
    bv.setB(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)));
    var ssv = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
    ssv.setSS(List.of("a"));
    var nsv = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
    nsv.setNS(List.of("7"));
    var bsv = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
    bsv.setBS(List.of(ByteBuffer.wrap(new byte[] {1, 2})));
    var mv = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
    mv.setM(Map.of("k", sv));
    var lv = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
    lv.setL(List.of(nv, sv));
    var nullv = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
    nullv.setNULL(true);
    var boolv = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
    boolv.setBOOL(false);

    assertThat(LambdaStreamHandler.toSdkAttributeValue(sv)).isEqualTo(s("x"));
    assertThat(LambdaStreamHandler.toSdkAttributeValue(nv)).isEqualTo(n(42));
    assertThat(LambdaStreamHandler.toSdkAttributeValue(bv))
        .isEqualTo(AttributeValue.fromB(SdkBytes.fromUtf8String("hi")));
    assertThat(LambdaStreamHandler.toSdkAttributeValue(ssv))
        .isEqualTo(AttributeValue.fromSs(List.of("a")));
    assertThat(LambdaStreamHandler.toSdkAttributeValue(nsv))
        .isEqualTo(AttributeValue.fromNs(List.of("7")));
    assertThat(LambdaStreamHandler.toSdkAttributeValue(bsv))
        .isEqualTo(AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {1, 2}))));
    assertThat(LambdaStreamHandler.toSdkAttributeValue(mv))
        .isEqualTo(AttributeValue.fromM(Map.of("k", s("x"))));
    assertThat(LambdaStreamHandler.toSdkAttributeValue(lv))
        .isEqualTo(AttributeValue.fromL(List.of(n(42), s("x"))));
    assertThat(LambdaStreamHandler.toSdkAttributeValue(nullv))
        .isEqualTo(AttributeValue.fromNul(true));
    assertThat(LambdaStreamHandler.toSdkAttributeValue(boolv))
        .isEqualTo(AttributeValue.fromBool(false));
  }

  @Test
  void toSdkAttributeValue_bufferNotAtItsStart_copiesTheRemainingBytesAndLeavesItAlone() {
    ByteBuffer buffer = ByteBuffer.wrap(new byte[] {9, 1, 2, 3});
    buffer.position(1);
    var value = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
    value.setB(buffer);

    AttributeValue converted = LambdaStreamHandler.toSdkAttributeValue(value);

    assertThat(converted.b().asByteArray()).containsExactly(1, 2, 3);
    assertThat(buffer.position()).isEqualTo(1);
  }

  @Test
  void toSdkAttributeValue_noType_refused() {
    assertThatThrownBy(
            () ->
                LambdaStreamHandler.toSdkAttributeValue(
                    new com.amazonaws.services.lambda.runtime.events.models.dynamodb
                        .AttributeValue()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LambdaStreamHandler.toSdkAttributeValue(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toSdkRecord_modifyRecord_keepsEveryField() {
    Record original =
        modify(
            subscriber(18, "eu-18", "all", AttributeValue.fromM(everyType())),
            subscriber(18, "us-18"));
    DynamodbStreamRecord lambda = lambdaRecord(original, "eu-west-1");
    Identity identity = new Identity();
    identity.setPrincipalId("dynamodb.amazonaws.com");
    identity.setType("Service");
    lambda.setUserIdentity(identity);

    Record converted = LambdaStreamHandler.toSdkRecord(lambda);

    assertThat(converted.eventID()).isEqualTo(original.eventID());
    assertThat(converted.eventName()).isEqualTo(OperationType.MODIFY);
    assertThat(converted.eventVersion()).isEqualTo("1.1");
    assertThat(converted.eventSource()).isEqualTo("aws:dynamodb");
    assertThat(converted.awsRegion()).isEqualTo("eu-west-1");
    assertThat(converted.userIdentity().principalId()).isEqualTo("dynamodb.amazonaws.com");
    assertThat(converted.userIdentity().type()).isEqualTo("Service");
    assertThat(converted.dynamodb().keys()).isEqualTo(original.dynamodb().keys());
    assertThat(converted.dynamodb().oldImage()).isEqualTo(original.dynamodb().oldImage());
    assertThat(converted.dynamodb().newImage()).isEqualTo(original.dynamodb().newImage());
    assertThat(converted.dynamodb().sequenceNumber())
        .isEqualTo(original.dynamodb().sequenceNumber());
    assertThat(converted.dynamodb().sizeBytes()).isEqualTo(123L);
    assertThat(converted.dynamodb().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
    assertThat(converted.dynamodb().approximateCreationDateTime())
        .isEqualTo(Instant.parse("2024-11-22T14:07:12Z"));
  }

  @Test
  void toSdkRecord_insertWithoutOldImage_hasNoOldImage() {
    Record insert = StreamRecords.record(OperationType.INSERT, null, subscriber(1, "t1"));

    Record converted = LambdaStreamHandler.toSdkRecord(lambdaRecord(insert, "eu-west-1"));

    assertThat(converted.dynamodb().hasOldImage()).isFalse();
    assertThat(converted.dynamodb().newImage()).isEqualTo(insert.dynamodb().newImage());
  }

  // --- handle: detection and delivery -----------------------------------------------------------

  /** A sink that keeps what it was given and throws what it is told to for chosen tokens. */
  static final class RecordingSink implements LambdaStreamHandler.Sink {
    final List<LostWrite> delivered = new ArrayList<>();
    final Map<String, Throwable> failFor = new HashMap<>();
    int calls;

    @Override
    public void deliver(LostWrite lost) throws Exception {
      calls++;
      Throwable failure = failFor.get(lost.writeToken());
      if (failure instanceof Exception e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      delivered.add(lost);
    }
  }

  /** A listener that keeps every loss it hears. */
  static final class Heard implements WriteListener {
    final List<LostWrite> lost = new ArrayList<>();

    @Override
    public void onLostWrite(LostWrite l) {
      lost.add(l);
    }
  }

  /** The losses a batch delivers, asserting that the batch reported no failure. */
  private static List<LostWrite> delivered(LambdaStreamHandler handler, DynamodbEvent event) {
    RecordingSink sink = new RecordingSink();
    assertThat(handler.handle(event, sink).getBatchItemFailures()).isEmpty();
    return sink.delivered;
  }

  /** A record whose old image's write (token {@code lostToken}) was overwritten. */
  private static DynamodbStreamRecord loss(String lostToken) {
    return lambdaRecord(
        modify(subscriber(18, lostToken), subscriber(18, lostToken + "-winner")), "eu-west-1");
  }

  private static String sequenceNumber(DynamodbStreamRecord record) {
    return record.getDynamodb().getSequenceNumber();
  }

  private static List<String> failedSequenceNumbers(StreamsEventResponse response) {
    return response.getBatchItemFailures().stream()
        .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
        .toList();
  }

  @Test
  void handle_sameVersionOtherToken_reportsLossSeenInTheRecordsRegion() {
    Map<String, AttributeValue> lostImage =
        subscriber(
            18,
            "eu-18",
            "delivery_address",
            s("221B Baker Street"),
            "tags",
            AttributeValue.fromSs(List.of("vip")));
    Map<String, AttributeValue> surviving =
        subscriber(
            18, "us-18", "delivery_address", s("1 Old Street"), "last_contacted", s("2024-11-22"));
    Heard heard = new Heard();

    List<LostWrite> found =
        delivered(
            handler(heard),
            event(
                lambdaRecord(modify(subscriber(17, "t17"), lostImage), "us-east-1"),
                lambdaRecord(modify(lostImage, surviving), "us-east-1")));

    assertThat(found).hasSize(1);
    LostWrite lost = found.get(0);
    assertThat(lost.region()).isEqualTo("us-east-1");
    assertThat(lost.tableName()).isEqualTo("subscribers");
    assertThat(lost.key()).isEqualTo(ItemKey.of("pk", "sub#1"));
    assertThat(lost.writeToken()).isEqualTo("eu-18");
    assertThat(lost.survivingToken()).isEqualTo("us-18");
    assertThat(lost.lostItem()).isEqualTo(lostImage);
    assertThat(lost.changes().set())
        .containsOnly(
            Map.entry("delivery_address", s("221B Baker Street")),
            Map.entry("tags", AttributeValue.fromSs(List.of("vip"))));
    assertThat(lost.changes().remove()).containsExactly("last_contacted");
    assertThat(heard.lost).containsExactly(lost);
  }

  @Test
  void handle_recordWithoutRegion_usesTheDetectorsRegion() {
    DynamodbStreamRecord record =
        lambdaRecord(modify(subscriber(18, "eu-18"), subscriber(18, "us-18")), null);

    assertThat(delivered(handler(), event(record)))
        .singleElement()
        .satisfies(lost -> assertThat(lost.region()).isEqualTo("eu-west-1"));
  }

  @Test
  void handle_replayedBatch_deliversOnce() {
    LambdaStreamHandler handler = handler();
    DynamodbStreamRecord record = loss("eu-18");

    assertThat(delivered(handler, event(record))).hasSize(1);
    assertThat(delivered(handler, event(record))).isEmpty();
  }

  @Test
  void handle_normalIncrementsInsertsAndRemoves_reportNothing() {
    assertThat(
            delivered(
                handler(),
                event(
                    lambdaRecord(
                        StreamRecords.record(OperationType.INSERT, null, subscriber(1, "t1")),
                        "eu-west-1"),
                    lambdaRecord(modify(subscriber(1, "t1"), subscriber(2, "t2")), "eu-west-1"),
                    lambdaRecord(
                        StreamRecords.record(OperationType.REMOVE, subscriber(2, "t2"), null),
                        "eu-west-1"))))
        .isEmpty();
  }

  @Test
  void handle_recordOfAnotherTable_skipped() {
    DynamodbStreamRecord other = loss("eu-18");
    other.setEventSourceARN("arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/x");

    assertThat(delivered(handler(), event(other))).isEmpty();
  }

  @Test
  void handle_unconvertibleRecord_skippedNotFailedAndTheRestOfTheBatchDelivered() {
    DynamodbStreamRecord broken = loss("a-18");
    broken
        .getDynamodb()
        .getNewImage()
        .put(
            "odd",
            new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue());
    RecordingSink sink = new RecordingSink();

    StreamsEventResponse response = handler().handle(event(broken, loss("eu-18")), sink);

    // Converting is a pure function of the record: a retry would fail the same way, forever.
    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(sink.delivered).extracting(LostWrite::writeToken).containsExactly("eu-18");
  }

  @Test
  void handle_emptyOrNullEvent_reportsNothing() {
    assertThat(delivered(handler(), null)).isEmpty();
    assertThat(delivered(handler(), new DynamodbEvent())).isEmpty();
    assertThat(delivered(handler(), event())).isEmpty();
  }

  @Test
  void handle_nullSink_refused() {
    assertThatThrownBy(() -> handler().handle(event(), null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void handle_sinkFailsForOneRecord_namesExactlyThatRecordAndLeavesTheRestForTheRetry() {
    LambdaStreamHandler handler = handler();
    DynamodbStreamRecord first = loss("eu-1");
    DynamodbStreamRecord poisoned = loss("eu-2");
    DynamodbStreamRecord after = loss("eu-3");
    DynamodbEvent batch = event(first, poisoned, after);
    RecordingSink sink = new RecordingSink();
    sink.failFor.put("eu-2", new IllegalStateException("topic throttled"));

    StreamsEventResponse response = handler.handle(batch, sink);

    assertThat(failedSequenceNumbers(response)).containsExactly(sequenceNumber(poisoned));
    assertThat(sink.delivered).extracting(LostWrite::writeToken).containsExactly("eu-1");
    assertThat(sink.calls).isEqualTo(2); // the record after the failure was not read

    // Lambda redelivers; the sink works again. The failed loss is delivered, not suppressed as
    // already reported, and the loss before it is not delivered twice.
    sink.failFor.clear();
    StreamsEventResponse retried = handler.handle(batch, sink);

    assertThat(retried.getBatchItemFailures()).isEmpty();
    assertThat(sink.delivered)
        .extracting(LostWrite::writeToken)
        .containsExactly("eu-1", "eu-2", "eu-3");
  }

  @Test
  void handle_sinkThrowsAnError_recordFailedNeverMarkedReportedAndDeliveredOnRetry() {
    LambdaStreamHandler handler = handler();
    Heard heard = new Heard();
    LambdaStreamHandler listened =
        LambdaStreamHandler.builder().detector(handler.detector()).listener(heard).build();
    DynamodbStreamRecord record = loss("eu-18");
    RecordingSink sink = new RecordingSink();
    sink.failFor.put("eu-18", new AssertionError("sink bug"));

    StreamsEventResponse response = listened.handle(event(record), sink);

    assertThat(failedSequenceNumbers(response)).containsExactly(sequenceNumber(record));
    assertThat(sink.delivered).isEmpty();
    assertThat(heard.lost).isEmpty(); // listeners hear only delivered losses

    sink.failFor.clear();
    assertThat(listened.handle(event(record), sink).getBatchItemFailures()).isEmpty();
    assertThat(sink.delivered).extracting(LostWrite::writeToken).containsExactly("eu-18");
    assertThat(heard.lost).extracting(LostWrite::writeToken).containsExactly("eu-18");
  }

  @Test
  void handle_sinkThrowsACheckedException_recordFailed() {
    DynamodbStreamRecord record = loss("eu-18");
    RecordingSink sink = new RecordingSink();
    sink.failFor.put("eu-18", new java.io.IOException("connection reset"));

    StreamsEventResponse response = handler().handle(event(loss("eu-17"), record), sink);

    assertThat(failedSequenceNumbers(response)).containsExactly(sequenceNumber(record));
    assertThat(sink.delivered).extracting(LostWrite::writeToken).containsExactly("eu-17");
  }

  @Test
  void handle_sinkThrowsAVirtualMachineError_escapesAndTheLossIsDeliveredOnRetry() {
    LambdaStreamHandler handler = handler();
    DynamodbEvent batch = event(loss("eu-1"), loss("eu-2"));
    RecordingSink sink = new RecordingSink();
    sink.failFor.put("eu-2", new StackOverflowError());

    assertThatThrownBy(() -> handler.handle(batch, sink)).isInstanceOf(StackOverflowError.class);

    // Lambda retries the whole batch: the first loss was delivered, the second was not.
    sink.failFor.clear();
    assertThat(handler.handle(batch, sink).getBatchItemFailures()).isEmpty();
    assertThat(sink.delivered).extracting(LostWrite::writeToken).containsExactly("eu-1", "eu-2");
  }

  @Test
  void builder_missingDetector_refused() {
    assertThatThrownBy(() -> LambdaStreamHandler.builder().detector(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> LambdaStreamHandler.builder().listener(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> LambdaStreamHandler.builder().build())
        .isInstanceOf(IllegalStateException.class);
  }

  // --- LostWriteLambdaFunction -----------------------------------------------------------------

  /** A function as a user would write it: a sink that can be made to fail. */
  static final class RecordingFunction extends LostWriteLambdaFunction {
    final List<LostWrite> delivered = new ArrayList<>();
    Throwable failWith;

    RecordingFunction() {
      super(detector());
    }

    @Override
    protected void onLostWrite(LostWrite lost) throws Exception {
      if (failWith instanceof Exception e) {
        throw e;
      }
      if (failWith instanceof Error e) {
        throw e;
      }
      delivered.add(lost);
    }
  }

  @Test
  void lambdaFunction_lossInBatch_deliveredToTheSinkOnce() {
    RecordingFunction function = new RecordingFunction();
    DynamodbEvent event = event(loss("eu-18"));

    assertThat(function.handleRequest(event, null).getBatchItemFailures()).isEmpty();
    function.handleRequest(event, null); // a replayed batch

    assertThat(function.delivered).extracting(LostWrite::writeToken).containsExactly("eu-18");
  }

  @Test
  void lambdaFunction_sinkFails_recordReportedAsItemFailureAndTheRetryDeliversIt() {
    RecordingFunction function = new RecordingFunction();
    DynamodbStreamRecord record = loss("eu-18");
    DynamodbEvent event = event(record);
    function.failWith = new IllegalStateException("sink down");

    StreamsEventResponse response = function.handleRequest(event, null);

    assertThat(failedSequenceNumbers(response)).containsExactly(sequenceNumber(record));
    function.failWith = null;
    assertThat(function.handleRequest(event, null).getBatchItemFailures()).isEmpty();
    assertThat(function.delivered).extracting(LostWrite::writeToken).containsExactly("eu-18");
  }

  @Test
  void lambdaFunction_sinkThrowsAssertionError_recordFailedNotTheInvocation() {
    RecordingFunction function = new RecordingFunction();
    DynamodbStreamRecord record = loss("eu-18");
    function.failWith = new AssertionError("bug in the sink");

    StreamsEventResponse response = function.handleRequest(event(record), null);

    assertThat(failedSequenceNumbers(response)).containsExactly(sequenceNumber(record));
    function.failWith = null;
    function.handleRequest(event(record), null);
    assertThat(function.delivered).extracting(LostWrite::writeToken).containsExactly("eu-18");
  }
}
