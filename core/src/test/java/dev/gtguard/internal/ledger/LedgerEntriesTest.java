package dev.gtguard.internal.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.ledger.WriteLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Ledger entries carry their expiry and a MAC that only tampering breaks. */
class LedgerEntriesTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
  private static final ItemKey ITEM = ItemKey.of("pk", AttributeValue.fromN("1.50"));

  private final WriteLedger ledger =
      WriteLedger.builder()
          .tableName("ledger")
          .retention(Duration.ofDays(30))
          .integrityKey(KEY)
          .build();

  private Map<String, AttributeValue> entry() {
    return LedgerEntries.entry(
        ledger,
        "01JD0000000000000000000000",
        "subscribers",
        ITEM,
        "UPDATE",
        2,
        "t2",
        "t1",
        "eu-west-1",
        Changes.builder()
            .set("price", AttributeValue.fromN("2.50"))
            .set("tags", AttributeValue.fromSs(List.of("b", "a")))
            .build(),
        false,
        null);
  }

  @Test
  void entry_expiresAfterTheRetention_forDynamoDbTtl() {
    long expires = Long.parseLong(entry().get("expires_at").n());

    assertThat(expires)
        .isBetween(
            Instant.now().plus(Duration.ofDays(30)).getEpochSecond() - 5,
            Instant.now().plus(Duration.ofDays(30)).getEpochSecond() + 5);
  }

  @Test
  void entry_verifies_evenAsDynamoDbHandsItBack() {
    Map<String, AttributeValue> stored = new LinkedHashMap<>(entry());
    // DynamoDB may return numbers in their shortest form and sets in another order.
    stored.put(
        "set",
        AttributeValue.fromM(
            Map.of(
                "price", AttributeValue.fromN("2.5"),
                "tags", AttributeValue.fromSs(List.of("a", "b")))));
    stored.put("expires_at", AttributeValue.fromN("1")); // TTL housekeeping is not signed

    assertThat(LedgerEntries.parse(ledger, stored).verified()).isTrue();
  }

  @Test
  void entry_tampered_failsItsMac() {
    Map<String, AttributeValue> forged = new LinkedHashMap<>(entry());
    forged.put("set", AttributeValue.fromM(Map.of("role", AttributeValue.fromS("admin"))));

    assertThat(LedgerEntries.parse(ledger, forged).verified()).isFalse();

    Map<String, AttributeValue> unsigned = new LinkedHashMap<>(entry());
    unsigned.remove("mac");
    assertThat(LedgerEntries.parse(ledger, unsigned).verified()).isFalse();
  }

  @Test
  void entry_anotherKey_failsItsMac() {
    WriteLedger other =
        WriteLedger.builder()
            .tableName("ledger")
            .integrityKey("another key of thirty-two bytes!".getBytes())
            .build();

    assertThat(LedgerEntries.parse(other, entry()).verified()).isFalse();
  }

  @Test
  void itemId_startsWithTheTable_numbersAsDynamoDbComparesThem() {
    assertThat(LedgerEntries.itemId("subscribers", ITEM))
        .startsWith("subscribers#")
        .isEqualTo(
            LedgerEntries.itemId("subscribers", ItemKey.of("pk", AttributeValue.fromN("1.5"))));
  }
}
