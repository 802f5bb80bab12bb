package dev.gtguard.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ValuesTest {
  private static AttributeValue n(String v) {
    return AttributeValue.fromN(v);
  }

  @Test
  void numbers_comparedByValue_atTopLevelAndInsideMapsListsAndSets() {
    Map<String, AttributeValue> written =
        Map.of(
            "n", n("1.50"),
            "m", AttributeValue.fromM(Map.of("x", n("2.0"))),
            "l", AttributeValue.fromL(List.of(n("3.00"), AttributeValue.fromS("s"))),
            "ns", AttributeValue.fromNs(List.of("4.0", "5.10")));
    Map<String, AttributeValue> streamed =
        Map.of(
            "n", n("1.5"),
            "m", AttributeValue.fromM(Map.of("x", n("2"))),
            "l", AttributeValue.fromL(List.of(n("3"), AttributeValue.fromS("s"))),
            "ns", AttributeValue.fromNs(List.of("5.1", "4")));

    assertThat(written).isNotEqualTo(streamed);
    assertThat(Values.sameItem(written, streamed)).isTrue();
  }

  @Test
  void differentValues_differ() {
    assertThat(Values.same(n("1.5"), n("1.51"))).isFalse();
    assertThat(Values.same(n("1"), AttributeValue.fromS("1"))).isFalse();
    assertThat(
            Values.same(
                AttributeValue.fromL(List.of(n("1"), n("2"))),
                AttributeValue.fromL(List.of(n("2"), n("1")))))
        .as("lists keep their order")
        .isFalse();
    assertThat(
            Values.same(
                AttributeValue.fromNs(List.of("1", "2")), AttributeValue.fromNs(List.of("1", "3"))))
        .isFalse();
    assertThat(Values.sameItem(Map.of("a", n("1")), Map.of("b", n("1")))).isFalse();
    assertThat(Values.sameItem(Map.of("a", n("1")), Map.of("a", n("1"), "b", n("1")))).isFalse();
  }

  @Test
  void sets_comparedRegardlessOfOrder() {
    assertThat(
            Values.same(
                AttributeValue.fromSs(List.of("a", "b")), AttributeValue.fromSs(List.of("b", "a"))))
        .isTrue();
    assertThat(
            Values.same(
                AttributeValue.fromBs(
                    List.of(SdkBytes.fromUtf8String("a"), SdkBytes.fromUtf8String("b"))),
                AttributeValue.fromBs(
                    List.of(SdkBytes.fromUtf8String("b"), SdkBytes.fromUtf8String("a")))))
        .isTrue();
  }

  @Test
  void canonicalNumber_oneSpellingPerValue() {
    assertThat(Values.canonicalNumber("1.50")).isEqualTo("1.5");
    assertThat(Values.canonicalNumber("15E-1")).isEqualTo("1.5");
    assertThat(Values.canonicalNumber("100")).isEqualTo("100");
    assertThat(Values.canonicalNumber("1E+2")).isEqualTo("100");
    assertThat(Values.canonicalNumber("0.000")).isEqualTo("0");
    assertThat(Values.canonicalNumber("-7.0")).isEqualTo("-7");
  }

  @Test
  void tableKeys_numberKeysNameTheSameItemWhateverTheSpelling() {
    TableKeys keys = new TableKeys("t", "pk", "sk");
    ItemRef written = keys.refOf(Map.of("pk", n("7.0"), "sk", n("1E+1"), "other", n("1")));
    ItemRef streamed = keys.refOf(Map.of("pk", n("7"), "sk", n("10")));

    assertThat(written).isEqualTo(streamed);
    assertThat(written.compareTo(streamed)).isZero();
  }
}
