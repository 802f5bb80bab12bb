package dev.gtguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** DynamoDB's number rules and value equality, without a server. */
class NumbersAndValuesTest {

  @Test
  void numbersDynamoDbStores_accepted() {
    for (String n :
        List.of(
            "0",
            "-0",
            "1.50",
            "1E+125",
            "9.9999999999999999999999999999999999999E+125",
            "-1E-130",
            "12345678901234567890123456789012345678",
            "1000000000000000000000000000000000000000000")) {
      assertThat(Numbers.problem(n)).as(n).isNull();
    }
  }

  @Test
  void numbersDynamoDbRefuses_refusedWithoutExpandingThem() {
    assertThat(Numbers.problem("1E+999999999")).contains("outside DynamoDB's range");
    assertThat(Numbers.problem("1E+126")).contains("outside");
    assertThat(Numbers.problem("1E-131")).contains("outside");
    assertThat(Numbers.problem("123456789012345678901234567890123456789")).contains("39");
    assertThat(Numbers.problem("NaN")).contains("not a number");
    assertThat(Numbers.problem("Infinity")).contains("not a number");
    assertThat(Numbers.problem("12abc")).contains("not a number");
    assertThat(Numbers.problem("")).contains("empty");
    assertThat(Numbers.problem("1".repeat(5000))).contains("longer");
  }

  @Test
  void integers_takeAShortcut_withTheSameAnswers() {
    for (String n :
        new String[] {
          "0", "-0", "007", "18", "-42", "9".repeat(38), "-" + "9".repeat(38), "1" + "0".repeat(38)
        }) {
      assertThat(Numbers.problem(n)).as(n).isNull();
    }
    assertThat(Numbers.problem("1".repeat(39))).contains("39");
    for (String n : new String[] {"-", "--1", "1-", "+-1", "1 2", "0x10"}) {
      assertThat(Numbers.problem(n)).as(n).contains("not a number");
    }
  }

  @Test
  void canonical_numbersAsDynamoDbComparesThem() {
    assertThat(Numbers.canonical("1.50")).isEqualTo(Numbers.canonical("1.5"));
    assertThat(Numbers.canonical("100")).isEqualTo("100");
    assertThat(Numbers.canonical("-0.0")).isEqualTo("0");
  }

  @Test
  void sameItem_comparesNumbersByValueAndSetsWithoutOrder() {
    Map<String, AttributeValue> written =
        Map.of(
            "price", AttributeValue.fromN("1.50"),
            "tags", AttributeValue.fromSs(List.of("a", "b")),
            "sizes", AttributeValue.fromNs(List.of("1.0", "2")),
            "nested", AttributeValue.fromM(Map.of("n", AttributeValue.fromN("10.00"))));
    Map<String, AttributeValue> stored =
        Map.of(
            "price", AttributeValue.fromN("1.5"),
            "tags", AttributeValue.fromSs(List.of("b", "a")),
            "sizes", AttributeValue.fromNs(List.of("2", "1")),
            "nested", AttributeValue.fromM(Map.of("n", AttributeValue.fromN("10"))));

    assertThat(AttributeValues.sameItem(written, stored)).isTrue();
    assertThat(AttributeValues.sameItem(written, Map.of("price", AttributeValue.fromN("1.5"))))
        .isFalse();
    assertThat(
            AttributeValues.same(
                AttributeValue.fromL(List.of(AttributeValue.fromN("1"), AttributeValue.fromN("2"))),
                AttributeValue.fromL(
                    List.of(AttributeValue.fromN("2"), AttributeValue.fromN("1")))))
        .as("lists keep their order")
        .isFalse();
  }

  @Test
  void fullJitter_withinCeiling_doublingUpToTheCap() {
    for (int retry = 1; retry <= 40; retry++) {
      long ceiling = Math.min(1000, 10L << Math.min(retry - 1, 30));
      for (int i = 0; i < 200; i++) {
        assertThat(ConflictRetries.fullJitter(retry, 10, 1000)).isBetween(0L, ceiling);
      }
    }
  }
}
