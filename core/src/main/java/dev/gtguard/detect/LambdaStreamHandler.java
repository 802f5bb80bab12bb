package dev.gtguard.detect;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.gtguard.LostWrite;
import dev.gtguard.internal.Listeners;
import dev.gtguard.spi.WriteListener;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
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
 * DynamodbEvent}), for detection without a polling process. Lambda's event model has its own
 * attribute value type; this converts every record to the SDK v2 {@link Record} the detector reads
 * (all attribute types: S, N, B, SS, NS, BS, M, L, NULL, BOOL).
 *
 * <pre>{@code
 * LambdaStreamHandler handler = LambdaStreamHandler.builder()
 *     .detector(StreamDetector.builder()
 *         .tableName("subscribers").partitionKey("pk").region(System.getenv("AWS_REGION")).build())
 *     .listener(metricsListener)
 *     .build();
 *
 * public Void handleRequest(DynamodbEvent event, Context context) {
 *   for (LostWrite lost : handler.handle(event)) {
 *     alarms.raise(lost);
 *   }
 *   return null;
 * }
 * }</pre>
 *
 * <p>Or extend {@link LostWriteLambdaFunction}, which does exactly this. Each loss is reported as
 * seen in the record's {@code awsRegion} (the region of the stream the function is attached to), or
 * the detector's region when a record has none. Records from another table's stream (by their event
 * source ARN) are skipped with a warning, since the detector would name the wrong table.
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
   * The lost writes in one batch, in record order, each reported to the listeners (the library's
   * WARN log included) before it is returned. Records that cannot be converted or read are skipped,
   * never thrown on: a batch that always fails would block its shard.
   */
  public List<LostWrite> handle(DynamodbEvent event) {
    if (event == null || event.getRecords() == null) {
      return List.of();
    }
    List<LostWrite> found = new ArrayList<>();
    for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
      if (record == null || !fromThisTable(record)) {
        continue;
      }
      Record converted;
      try {
        converted = toSdkRecord(record);
      } catch (RuntimeException e) {
        LOG.warn(
            "skipping stream record {} of {}: cannot convert it",
            record.getEventID(),
            detector.tableName(),
            e);
        continue;
      }
      String region =
          record.getAwsRegion() == null || record.getAwsRegion().isBlank()
              ? detector.region()
              : record.getAwsRegion();
      LostWrite lost = detector.detect(converted, region);
      if (lost != null) {
        listeners.onLostWrite(lost);
        found.add(lost);
      }
    }
    return found;
  }

  /** Lets these losses be reported again, after a batch that will be retried. */
  void forget(Collection<LostWrite> lost) {
    detector.forget(lost.stream().map(LostWrite::writeToken).toList());
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
