package dev.gtguard.detect;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.gtguard.LostWrite;
import dev.gtguard.internal.Listeners;
import dev.gtguard.spi.WriteListener;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * Runs a {@link StreamDetector} over the DynamoDB Stream batches AWS Lambda delivers ({@link
 * DynamodbEvent}), for detection without a polling process, and hands each lost write to a {@link
 * Sink}: an alarm topic, a queue, a pager. Lambda's event model has its own attribute value type;
 * this converts every record to the SDK v2 {@link Record} the detector reads (all attribute types:
 * S, N, B, SS, NS, BS, M, L, NULL, BOOL).
 *
 * <pre>{@code
 * LambdaStreamHandler handler = LambdaStreamHandler.builder()
 *     .detector(StreamDetector.builder()
 *         .table(TableDescription.of("subscribers", "pk"))
 *         .region(System.getenv("AWS_REGION"))
 *         .build())
 *     .listener(metricsListener)
 *     .build();
 *
 * public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
 *   return handler.handle(event, lost -> alarms.raise(lost));
 * }
 * }</pre>
 *
 * <p>Or extend {@link LostWriteLambdaFunction}, which does exactly this.
 *
 * <p><b>Partial batch response.</b> {@link #handle} returns a {@link StreamsEventResponse} naming
 * the first record whose loss the sink could not take, by its sequence number, and stops there: the
 * records before it are done, those after it are left for the retry. This only works when the event
 * source mapping has {@code ReportBatchItemFailures} among its {@code FunctionResponseTypes};
 * without it Lambda ignores the response, counts the invocation a success and moves past the failed
 * record. In a SAM template:
 *
 * <pre>{@code
 * Events:
 *   SubscriberStream:
 *     Type: DynamoDB
 *     Properties:
 *       Stream: !GetAtt Subscribers.StreamArn
 *       StartingPosition: TRIM_HORIZON
 *       FunctionResponseTypes: [ReportBatchItemFailures]
 *       MaximumRetryAttempts: 100   # then Lambda skips the record, sending its metadata to OnFailure
 *       DestinationConfig:
 *         OnFailure:
 *           Destination: !GetAtt LostWriteRecordsDlq.Arn
 * }</pre>
 *
 * <p>or on an existing mapping: {@code aws lambda update-event-source-mapping --uuid <id>
 * --function-response-types ReportBatchItemFailures}. Lambda then retries from the failed record
 * (checkpointing everything before it), so one record whose alarm cannot be sent holds back only
 * itself and what follows it in its shard, never the records already handled. Without {@code
 * MaximumRetryAttempts} a sink that stays down holds the shard until the record expires (24 hours).
 *
 * <p><b>Delivery.</b> A loss counts as reported to the detector (and so is not reported again by
 * this handler) only once the sink returned normally; only then do the listeners hear it. If the
 * sink throws anything, an {@link Error} included, the loss stays unreported, its record is the
 * batch's failure, and the retried record delivers it again. Only a {@link VirtualMachineError}
 * (out of memory, stack overflow) escapes, failing the whole invocation, which Lambda retries as a
 * whole. Delivery is at least once: a new function instance does not know what earlier ones
 * delivered, so deduplicate by {@link LostWrite#writeToken()} where that matters.
 *
 * <p><b>Records it cannot read</b> are skipped with a WARN naming the record (event ID and sequence
 * number, never item values), not reported as failures: converting and reading a record is a pure
 * function of the record, so a retry would fail the same way and hold the shard for 24 hours while
 * every later loss waited behind it. The write ledger ({@link dev.gtguard.ledger.Reconciler}) still
 * sees such a write. Records from another table's stream (by their event source ARN) are skipped
 * likewise, since the detector would name the wrong table. Each loss is reported as seen in the
 * record's {@code awsRegion} (the region of the stream the function is attached to), or the
 * detector's region when a record has none.
 *
 * <p>The function's execution role needs {@code dynamodb:DescribeStream}, {@code
 * dynamodb:GetRecords}, {@code dynamodb:GetShardIterator} and {@code dynamodb:ListStreams} on the
 * stream (the managed policy {@code AWSLambdaDynamoDBExecutionRole}), plus whatever the sink and an
 * on-failure destination need.
 *
 * <p>This class needs {@code com.amazonaws:aws-lambda-java-events} on the class path, an optional
 * dependency of gtguard-core that every Java Lambda function for DynamoDB Streams already has.
 * Thread-safe.
 */
public final class LambdaStreamHandler {
  private static final Logger LOG = LoggerFactory.getLogger(LambdaStreamHandler.class);

  private final StreamDetector detector;
  private final Listeners listeners;

  private LambdaStreamHandler(Builder b) {
    this.detector = b.detector;
    this.listeners = new Listeners(List.copyOf(b.listeners));
  }

  /** A builder; {@code detector} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The detector this handler feeds. */
  public StreamDetector detector() {
    return detector;
  }

  /**
   * Where a {@link LambdaStreamHandler} delivers each lost write: returning normally means
   * delivered.
   */
  @FunctionalInterface
  public interface Sink {
    /**
     * Delivers one loss; anything thrown makes its record the batch's failure, to be retried.
     *
     * @throws Exception if it could not be delivered
     */
    void deliver(LostWrite lost) throws Exception;
  }

  /**
   * Hands each lost write in the batch to {@code sink}, in record order, and says which record
   * Lambda should retry from: none when every loss was delivered, else the first record whose loss
   * the sink refused (later records are not read). Never throws for a record or a sink failure,
   * only for a {@link VirtualMachineError}.
   *
   * @param event the batch, as Lambda hands it over; null or empty reports nothing
   * @param sink where losses go
   * @return the partial batch response for Lambda, with no failures or exactly one
   * @throws NullPointerException if {@code sink} is null
   */
  public StreamsEventResponse handle(DynamodbEvent event, Sink sink) {
    Objects.requireNonNull(sink, "sink");
    List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
    if (event != null && event.getRecords() != null) {
      for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
        LostWrite lost = read(record);
        if (lost != null && !delivered(lost, record, sink)) {
          // Lambda retries from the lowest failed sequence number, so anything after this record
          // would be read again anyway; handling it now would only deliver it twice.
          failures.add(new StreamsEventResponse.BatchItemFailure(sequenceNumber(record)));
          break;
        }
      }
    }
    return new StreamsEventResponse(failures);
  }

  /** The record's loss, not yet reported; null if none, a duplicate, or unreadable (logged). */
  private LostWrite read(DynamodbEvent.DynamodbStreamRecord record) {
    if (record == null || !fromThisTable(record)) {
      return null;
    }
    try {
      String region =
          record.getAwsRegion() == null || record.getAwsRegion().isBlank()
              ? detector.region()
              : record.getAwsRegion();
      return detector.detect(toSdkRecord(record), region);
    } catch (RuntimeException e) {
      // Deterministic: a retry would fail the same way. Conversion and detection errors name
      // attributes and types, never values.
      LOG.warn(
          "skipping stream record {} (sequence number {}) of {}: cannot read it",
          record.getEventID(),
          sequenceNumber(record),
          detector.tableName(),
          e);
      return null;
    }
  }

  /**
   * Hands the loss to the sink; marks it reported (and tells the listeners) only if that worked.
   */
  private boolean delivered(LostWrite lost, DynamodbEvent.DynamodbStreamRecord record, Sink sink) {
    boolean delivered = false;
    try {
      sink.deliver(lost);
      delivered = true;
    } catch (VirtualMachineError fatal) {
      throw fatal; // the JVM cannot go on; the whole batch is retried (finally still forgets)
    } catch (Throwable e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn(
          "{}: the sink failed for the lost write (version {}, token {}) of stream record {}"
              + " (sequence number {}); reporting that record as the batch's failure, to be"
              + " retried",
          detector.tableName(),
          lost.version(),
          lost.writeToken(),
          record.getEventID(),
          sequenceNumber(record),
          e);
    } finally {
      if (!delivered) {
        detector.forget(List.of(lost.writeToken())); // the retried record must report it again
      }
    }
    if (delivered) {
      listeners.onLostWrite(lost);
    }
    return delivered;
  }

  /**
   * The record's identity for Lambda; null (the whole batch fails and is retried) if it has none.
   */
  private static String sequenceNumber(DynamodbEvent.DynamodbStreamRecord record) {
    return record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
  }

  private boolean fromThisTable(DynamodbEvent.DynamodbStreamRecord record) {
    String table = tableOf(record.getEventSourceARN());
    if (table == null || table.equals(detector.tableName())) {
      return true;
    }
    LOG.warn(
        "skipping stream record {} of table {}: this handler's detector watches table {}",
        record.getEventID(),
        table,
        detector.tableName());
    return false;
  }

  /** {@code arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>} to the name. */
  private static String tableOf(String streamArn) {
    if (streamArn == null) {
      return null;
    }
    int start = streamArn.indexOf(":table/");
    if (start < 0) {
      return null;
    }
    start += ":table/".length();
    int end = streamArn.indexOf('/', start);
    return end < 0 ? streamArn.substring(start) : streamArn.substring(start, end);
  }

  /**
   * One Lambda stream record as the SDK v2 record that {@code GetRecords} would have returned.
   *
   * @throws NullPointerException if {@code record} is null
   * @throws IllegalArgumentException if an attribute value has no type
   */
  public static Record toSdkRecord(
      com.amazonaws.services.lambda.runtime.events.models.dynamodb.Record record) {
    Objects.requireNonNull(record, "record");
    Record.Builder sdk =
        Record.builder()
            .eventID(record.getEventID())
            .eventName(record.getEventName())
            .eventVersion(record.getEventVersion())
            .eventSource(record.getEventSource())
            .awsRegion(record.getAwsRegion());
    if (record.getUserIdentity() != null) {
      sdk.userIdentity(
          Identity.builder()
              .principalId(record.getUserIdentity().getPrincipalId())
              .type(record.getUserIdentity().getType())
              .build());
    }
    var change = record.getDynamodb();
    if (change != null) {
      StreamRecord.Builder stream =
          StreamRecord.builder()
              .sequenceNumber(change.getSequenceNumber())
              .sizeBytes(change.getSizeBytes())
              .streamViewType(change.getStreamViewType());
      if (change.getApproximateCreationDateTime() != null) {
        stream.approximateCreationDateTime(change.getApproximateCreationDateTime().toInstant());
      }
      if (change.getKeys() != null) {
        stream.keys(toSdkItem(change.getKeys()));
      }
      if (change.getOldImage() != null) {
        stream.oldImage(toSdkItem(change.getOldImage()));
      }
      if (change.getNewImage() != null) {
        stream.newImage(toSdkItem(change.getNewImage()));
      }
      sdk.dynamodb(stream.build());
    }
    return sdk.build();
  }

  /**
   * A Lambda event item (image or keys) as an SDK v2 item, attribute order kept.
   *
   * @throws NullPointerException if {@code item} is null
   * @throws IllegalArgumentException if an attribute value has no type
   */
  public static Map<String, AttributeValue> toSdkItem(
      Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue>
          item) {
    Objects.requireNonNull(item, "item");
    Map<String, AttributeValue> sdk = new LinkedHashMap<>();
    item.forEach((name, value) -> sdk.put(name, toSdkAttributeValue(value)));
    return sdk;
  }

  /**
   * A Lambda event attribute value as an SDK v2 one, nested maps and lists included.
   *
   * @throws IllegalArgumentException if the value is null or has no type
   */
  public static AttributeValue toSdkAttributeValue(
      com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue value) {
    if (value == null) {
      throw new IllegalArgumentException("attribute value must not be null");
    }
    // Scalars first, then sets (never empty in DynamoDB), then documents (which may be empty).
    if (value.getS() != null) {
      return AttributeValue.fromS(value.getS());
    }
    if (value.getN() != null) {
      return AttributeValue.fromN(value.getN());
    }
    if (value.getB() != null) {
      return AttributeValue.fromB(bytes(value.getB()));
    }
    if (value.getBOOL() != null) {
      return AttributeValue.fromBool(value.getBOOL());
    }
    if (Boolean.TRUE.equals(value.getNULL())) {
      return AttributeValue.fromNul(true);
    }
    if (value.getSS() != null && !value.getSS().isEmpty()) {
      return AttributeValue.fromSs(List.copyOf(value.getSS()));
    }
    if (value.getNS() != null && !value.getNS().isEmpty()) {
      return AttributeValue.fromNs(List.copyOf(value.getNS()));
    }
    if (value.getBS() != null && !value.getBS().isEmpty()) {
      return AttributeValue.fromBs(value.getBS().stream().map(LambdaStreamHandler::bytes).toList());
    }
    if (value.getM() != null) {
      return AttributeValue.fromM(toSdkItem(value.getM()));
    }
    if (value.getL() != null) {
      return AttributeValue.fromL(
          value.getL().stream().map(LambdaStreamHandler::toSdkAttributeValue).toList());
    }
    throw new IllegalArgumentException("attribute value has no type: " + value);
  }

  /** The buffer's remaining bytes, copied; the buffer itself is left as it was. */
  private static SdkBytes bytes(ByteBuffer buffer) {
    ByteBuffer view = buffer.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    return SdkBytes.fromByteArrayUnsafe(bytes);
  }

  /** Builds a {@link LambdaStreamHandler}; each setter validates its argument at once. */
  public static final class Builder {
    private StreamDetector detector;
    private final List<WriteListener> listeners = new ArrayList<>();

    private Builder() {}

    /** What to look for, in which table; its region is the fallback region. Required. */
    public Builder detector(StreamDetector detector) {
      this.detector = Objects.requireNonNull(detector, "detector");
      return this;
    }

    /** Adds a listener; its {@link WriteListener#onLostWrite} hears every loss, in order. */
    public Builder listener(WriteListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * @throws IllegalStateException if the detector is missing
     */
    public LambdaStreamHandler build() {
      if (detector == null) {
        throw new IllegalStateException("detector is required");
      }
      return new LambdaStreamHandler(this);
    }
  }
}
