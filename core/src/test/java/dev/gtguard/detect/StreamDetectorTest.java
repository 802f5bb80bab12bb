package dev.gtguard.detect;

import static dev.gtguard.detect.StreamRecords.item;
import static dev.gtguard.detect.StreamRecords.modify;
import static dev.gtguard.detect.StreamRecords.n;
import static dev.gtguard.detect.StreamRecords.record;
import static dev.gtguard.detect.StreamRecords.s;
import static dev.gtguard.detect.StreamRecords.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.TableDescription;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;

class StreamDetectorTest {

  private static StreamDetector detector() {
    return StreamDetector.builder()
        .table(TableDescription.of("subscribers", "pk"))
        .region("eu-west-1")
        .build();
  }

  @Test
  void detect_sameVersionOtherToken_reportsTheOldImagesWriteAsLost() {
    Map<String, AttributeValue> lost =
        subscriber(
            18,
            "eu-18",
            "delivery_address",
            s("221B Baker Street"),
            "last_contacted",
            s("2024-01-01"),
            "pending",
            s("yes"));
    Map<String, AttributeValue> surviving =
        subscriber(
            18,
            "us-18",
            "delivery_address",
            s("1 Old Street"),
            "last_contacted",
            s("2024-11-22"),
            "note",
            s("from us"));

    List<LostWrite> found = detector().detect(List.of(modify(lost, surviving)));

    assertThat(found).hasSize(1);
    LostWrite loss = found.get(0);
    assertThat(loss.tableName()).isEqualTo("subscribers");
    assertThat(loss.key()).isEqualTo(ItemKey.of("pk", "sub#1"));
    assertThat(loss.region()).isEqualTo("eu-west-1");
    assertThat(loss.version()).isEqualTo(18);
    assertThat(loss.writeToken()).isEqualTo("eu-18");
    assertThat(loss.survivingVersion()).isEqualTo(18);
    assertThat(loss.survivingToken()).isEqualTo("us-18");
    assertThat(loss.lostItem()).isEqualTo(lost);
    assertThat(loss.source()).isEqualTo(LostWrite.Source.STREAM);
    assertThat(loss.changes().set())
        .containsOnly(
            Map.entry("delivery_address", s("221B Baker Street")),
            Map.entry("last_contacted", s("2024-01-01")),
            Map.entry("pending", s("yes")));
    assertThat(loss.changes().remove()).containsExactly("note");
  }

  @Test
  void detect_parentTokens_areBookkeepingNotChanges() {
    Map<String, AttributeValue> lost =
        subscriber(18, "eu-18", "a", s("x"), "parent_token", s("t17"));
    Map<String, AttributeValue> winner =
        subscriber(18, "us-18", "a", s("x"), "b", s("y"), "parent_token", s("t17b"));

    List<LostWrite> found = detector().detect(List.of(modify(lost, winner)));

    assertThat(found)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.changes().set()).isEmpty();
              assertThat(l.changes().remove()).containsExactly("b");
            });
  }

  @Test
  void detect_lowerVersion_reportsLoss() {
    Map<String, AttributeValue> lost = subscriber(20, "eu-20", "a", n(2));
    Map<String, AttributeValue> surviving = subscriber(19, "us-19", "a", n(1));

    List<LostWrite> found = detector().detect(List.of(modify(lost, surviving)));

    assertThat(found)
        .singleElement()
        .satisfies(
            loss -> {
              assertThat(loss.version()).isEqualTo(20);
              assertThat(loss.writeToken()).isEqualTo("eu-20");
              assertThat(loss.survivingVersion()).isEqualTo(19);
              assertThat(loss.survivingToken()).isEqualTo("us-19");
              assertThat(loss.changes().set()).containsOnly(Map.entry("a", n(2)));
              assertThat(loss.changes().remove()).isEmpty();
            });
  }

  @Test
  void detect_sameVersionTokenMissingInNewImage_reportsLossWithUnknownSurvivingToken() {
    Map<String, AttributeValue> lost = subscriber(5, "t5");
    Map<String, AttributeValue> surviving = item("pk", s("sub#1"), "version", n(5));

    assertThat(detector().detect(List.of(modify(lost, surviving))))
        .singleElement()
        .satisfies(loss -> assertThat(loss.survivingToken()).isNull());
  }

  @Test
  void detect_normalIncrement_reportsNothing() {
    List<Record> records =
        List.of(
            modify(subscriber(17, "t17"), subscriber(18, "t18", "a", n(1))),
            modify(subscriber(18, "t18", "a", n(1)), subscriber(19, "t19", "a", n(2))),
            modify(subscriber(19, "t19"), subscriber(25, "t25")));

    assertThat(detector().detect(records)).isEmpty();
  }

  @Test
  void detect_insertAndRemove_reportNothing() {
    List<Record> records =
        List.of(
            record(OperationType.INSERT, null, subscriber(1, "t1")),
            record(OperationType.REMOVE, subscriber(9, "t9"), null),
            // even with both images, only MODIFY can show an overwrite
            record(OperationType.INSERT, subscriber(9, "t9"), subscriber(1, "t1")),
            record(OperationType.REMOVE, subscriber(9, "t9"), subscriber(9, "other")));

    assertThat(detector().detect(records)).isEmpty();
  }

  @Test
  void detect_identicalImages_reportNothing() {
    Map<String, AttributeValue> image = subscriber(18, "t18", "a", s("x"));

    assertThat(detector().detect(List.of(modify(image, Map.copyOf(image))))).isEmpty();
  }

  @Test
  void detect_sameVersionAndTokenOtherAttributes_reportsNothing() {
    // Not a versioned write replacing another: someone wrote without bumping the version.
    assertThat(
            detector()
                .detect(
                    List.of(
                        modify(
                            subscriber(18, "t18", "a", s("x")),
                            subscriber(18, "t18", "a", s("y"))))))
        .isEmpty();
  }

  @Test
  void detect_legacyItemsWithoutVersion_reportNothing() {
    List<Record> records =
        List.of(
            modify(item("pk", s("sub#1"), "a", n(1)), item("pk", s("sub#1"), "a", n(2))),
            modify(item("pk", s("sub#1"), "a", n(2)), item("pk", s("sub#1"), "a", n(1))),
            // adopted by its first versioned write: old image has no version
            modify(item("pk", s("sub#1"), "a", n(1)), subscriber(1, "t1", "a", n(1))));

    assertThat(detector().detect(records)).isEmpty();
  }

  @Test
  void detect_nonNumericVersion_skipsTheRecordAndReadsOn() {
    List<Record> records =
        List.of(
            modify(
                item("pk", s("sub#1"), "version", s("18"), "write_token", s("a")),
                item("pk", s("sub#1"), "version", s("18"), "write_token", s("b"))),
            modify(
                item("pk", s("sub#1"), "version", n(18), "write_token", s("a")),
                item("pk", s("sub#1"), "version", AttributeValue.fromN("1.5e3x"))),
            modify(subscriber(18, "eu-18"), subscriber(18, "us-18")));

    assertThat(detector().detect(records))
        .extracting(LostWrite::writeToken)
        .containsExactly("eu-18");
  }

  @Test
  void detect_oldImageWithoutToken_reportsNothing() {
    Map<String, AttributeValue> noToken = item("pk", s("sub#1"), "version", n(18));

    assertThat(detector().detect(List.of(modify(noToken, subscriber(18, "us-18"))))).isEmpty();
  }

  @Test
  void detect_missingImages_reportNothing() {
    List<Record> records =
        List.of(
            record(OperationType.MODIFY, null, subscriber(18, "us-18")),
            record(OperationType.MODIFY, subscriber(18, "eu-18"), null));

    assertThat(detector().detect(records)).isEmpty();
  }

  @Test
  void detect_sameRecordTwice_reportsOnce() {
    Record replayed = modify(subscriber(18, "eu-18"), subscriber(18, "us-18"));
    StreamDetector detector = detector();

    List<LostWrite> first = detector.detect(List.of(replayed, replayed));
    List<LostWrite> second = detector.detect(List.of(replayed));

    assertThat(first).hasSize(1);
    assertThat(second).isEmpty();
  }

  @Test
  void detect_sameLossSeenAgainInAnotherRecord_reportsOnce() {
    StreamDetector detector = detector();

    assertThat(detector.detect(List.of(modify(subscriber(18, "eu-18"), subscriber(18, "us-18")))))
        .hasSize(1);
    assertThat(detector.detect(List.of(modify(subscriber(18, "eu-18"), subscriber(17, "x-17")))))
        .isEmpty();
    // another lost token is still reported
    assertThat(detector.detect(List.of(modify(subscriber(19, "eu-19"), subscriber(19, "us-19")))))
        .hasSize(1);
  }

  @Test
  void detect_separateDetectors_eachReportOnce() {
    Record record = modify(subscriber(18, "eu-18"), subscriber(18, "us-18"));

    assertThat(detector().detect(List.of(record))).hasSize(1);
    assertThat(detector().detect(List.of(record))).hasSize(1);
  }

  @Test
  void detect_customAttributeNamesAndSortKey_usesThem() {
    StreamDetector detector =
        StreamDetector.builder()
            .table(
                TableDescription.builder()
                    .tableName("events")
                    .partitionKey("pk")
                    .sortKey("sk")
                    .versionAttribute("v")
                    .tokenAttribute("tok")
                    .build())
            .region("us-east-1")
            .build();
    Map<String, AttributeValue> lost =
        item("pk", s("p"), "sk", s("s"), "v", n(3), "tok", s("a"), "x", n(1));
    Map<String, AttributeValue> surviving =
        item("pk", s("p"), "sk", s("s"), "v", n(3), "tok", s("b"), "x", n(2));
    Record record =
        Record.builder()
            .eventName(OperationType.MODIFY)
            .dynamodb(
                d -> d.keys(Map.of("sk", s("s"), "pk", s("p"))).oldImage(lost).newImage(surviving))
            .build();

    assertThat(detector.detect(List.of(record)))
        .singleElement()
        .satisfies(
            loss -> {
              assertThat(loss.key()).isEqualTo(ItemKey.of("pk", s("p"), "sk", s("s")));
              assertThat(loss.key().asMap().keySet()).containsExactly("pk", "sk");
              assertThat(loss.region()).isEqualTo("us-east-1");
              assertThat(loss.writeToken()).isEqualTo("a");
              assertThat(loss.changes().set()).containsOnly(Map.entry("x", n(1)));
            });
  }

  @Test
  void builder_badSettings_refusedWhereMade() {
    assertThatThrownBy(() -> StreamDetector.builder().table(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> StreamDetector.builder().region(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StreamDetector.builder().table(TableDescription.of("t", "pk")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("region");
  }
}
