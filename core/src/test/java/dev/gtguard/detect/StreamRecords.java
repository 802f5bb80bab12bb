package dev.gtguard.detect;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/** Hand-built SDK stream records for detector tests. */
final class StreamRecords {
  private static final AtomicLong SEQUENCE = new AtomicLong(100);

  private StreamRecords() {}

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  /** An item from alternating names and values: {@code item("pk", s("a"), "count", n(0))}. */
  static Map<String, AttributeValue> item(Object... namesAndValues) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      item.put((String) namesAndValues[i], (AttributeValue) namesAndValues[i + 1]);
    }
    return item;
  }

  /** A subscriber item keyed {@code pk=sub#1} at a version and token, plus extra attributes. */
  static Map<String, AttributeValue> subscriber(long version, String token, Object... more) {
    Map<String, AttributeValue> item =
        item("pk", s("sub#1"), "version", n(version), "write_token", s(token));
    item.putAll(item(more));
    return item;
  }

  static Record modify(Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage) {
    return record(OperationType.MODIFY, oldImage, newImage);
  }

  static Record record(
      OperationType operation,
      Map<String, AttributeValue> oldImage,
      Map<String, AttributeValue> newImage) {
    Map<String, AttributeValue> image = newImage != null ? newImage : oldImage;
    long sequence = SEQUENCE.incrementAndGet();
    return Record.builder()
        .eventID("event-" + sequence)
        .eventName(operation)
        .eventSource("aws:dynamodb")
        .awsRegion("eu-west-1")
        .dynamodb(
            d -> {
              d.keys(Map.of("pk", image.get("pk")))
                  .sequenceNumber(Long.toString(sequence))
                  .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES);
              if (oldImage != null) {
                d.oldImage(oldImage);
              }
              if (newImage != null) {
                d.newImage(newImage);
              }
            })
        .build();
  }
}
