package dev.gtguard.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class OracleTest {

  private static Map<String, AttributeValue> item(String address, String contacted) {
    return Map.of(
        "delivery_address", AttributeValue.fromS(address),
        "last_contacted", AttributeValue.fromS(contacted));
  }

  @Test
  void lost_latestValueSurvives_nothingLost() {
    Oracle oracle = new Oracle();
    oracle.acknowledged("s1", "delivery_address", "a1", "eu-west-1");
    oracle.acknowledged("s1", "delivery_address", "a2", "eu-west-1");
    oracle.acknowledged("s1", "last_contacted", "c1", "us-east-1");

    assertThat(oracle.lost(Map.of("s1", item("a2", "c1")))).isEmpty();
  }

  @Test
  void lost_olderValueSurvives_laterWritesAreLost() {
    Oracle oracle = new Oracle();
    oracle.acknowledged("s1", "delivery_address", "a1", "eu-west-1");
    oracle.acknowledged("s1", "delivery_address", "a2", "eu-west-1");
    oracle.acknowledged("s1", "delivery_address", "a3", "eu-west-1");

    assertThat(oracle.lost(Map.of("s1", item("a1", "never"))))
        .extracting(Oracle.Write::value)
        .containsExactly("a2", "a3");
  }

  @Test
  void lost_initialValueSurvives_everyWriteLost() {
    Oracle oracle = new Oracle();
    oracle.acknowledged("s1", "delivery_address", "a1", "eu-west-1");

    assertThat(oracle.lost(Map.of("s1", item("initial", "never")))).hasSize(1);
    assertThat(oracle.lost(Map.of())).hasSize(1);
  }
}
