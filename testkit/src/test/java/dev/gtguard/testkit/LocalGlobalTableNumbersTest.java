package dev.gtguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB Local returns a number as it was written ({@code 1.50}) but its stream renders it
 * canonically ({@code 1.5}): the simulator must match them by value, or it waits for ever for a
 * stream record that never comes. Each {@code awaitQuiescence} is bounded and throws when it is not
 * reached.
 */
@LocalGlobalTableTest(regions = {"eu-west-1", "us-east-1"})
class LocalGlobalTableNumbersTest {
  private static final String EU = "eu-west-1";
  private static final String US = "us-east-1";
  private static final Duration QUIET = Duration.ofSeconds(30);
  private static final Map<String, AttributeValue> KEY =
      Map.of("pk", AttributeValue.fromS("account#1"));

  private static Map<String, AttributeValue> get(LocalGlobalTable global, String region, String t) {
    return global.client(region).getItem(r -> r.tableName(t).key(KEY).consistentRead(true)).item();
  }

  private static void set(LocalGlobalTable global, String region, String table, String value) {
    global
        .client(region)
        .updateItem(
            r ->
                r.tableName(table)
                    .key(KEY)
                    .updateExpression("SET n = :n")
                    .expressionAttributeValues(Map.of(":n", AttributeValue.fromN(value))));
  }

  @Test
  void updateWithTrailingZeros_quiesces_andReplicatesTheValue(LocalGlobalTable global) {
    String table = global.createTable("numbers", "pk");
    long untrackedBefore = global.stats().untracked();

    global
        .client(EU)
        .updateItem(
            r ->
                r.tableName(table)
                    .key(KEY)
                    .updateExpression("SET n = :n, m = :m, l = :l, ns = :ns")
                    .expressionAttributeValues(
                        Map.of(
                            ":n", AttributeValue.fromN("1.50"),
                            ":m", AttributeValue.fromM(Map.of("x", AttributeValue.fromN("2.0"))),
                            ":l", AttributeValue.fromL(List.of(AttributeValue.fromN("3.00"))),
                            ":ns", AttributeValue.fromNs(List.of("4.0", "5.10")))));
    global.awaitQuiescence(QUIET);

    Map<String, AttributeValue> replicated = get(global, US, table);
    assertThat(new BigDecimal(replicated.get("n").n())).isEqualByComparingTo("1.5");
    assertThat(new BigDecimal(replicated.get("m").m().get("x").n())).isEqualByComparingTo("2");
    assertThat(new BigDecimal(replicated.get("l").l().get(0).n())).isEqualByComparingTo("3");
    assertThat(replicated.get("ns").ns().stream().map(BigDecimal::new).sorted().toList())
        .usingElementComparator(BigDecimal::compareTo)
        .containsExactly(new BigDecimal("4"), new BigDecimal("5.1"));
    assertThat(global.stats().untracked()).isEqualTo(untrackedBefore);
  }

  @Test
  void sameNumberInAnotherSpelling_quiesces_andLaterWritesStillReplicate(LocalGlobalTable global) {
    String table = global.createTable("respelled", "pk");
    set(global, EU, table, "1.5");
    global.awaitQuiescence(QUIET);

    set(global, US, table, "1.50");
    global.awaitQuiescence(QUIET);
    set(global, US, table, "2.250");
    global.awaitQuiescence(QUIET);

    for (String region : global.regions()) {
      assertThat(new BigDecimal(get(global, region, table).get("n").n()))
          .isEqualByComparingTo("2.25");
    }
  }
}
