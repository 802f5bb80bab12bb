package dev.gtguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.TableDescription;
import dev.gtguard.VersionedItem;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.InvalidItemException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The size arithmetic without regular expressions or encoding gives exactly what the earlier
 * implementation did, and the size check of an update, computed from the state's size and the
 * attributes the changes touch, decides exactly as a check of the whole resulting item.
 */
class ItemSizesTest {
  private static final TableDescription TABLE = TableDescription.of("t", "pk");
  private static final ItemKey KEY = ItemKey.of("pk", "a");
  private final InputRules rules = new InputRules(TABLE);

  /** The earlier implementation, kept as the reference. */
  private static long referenceNumber(String n) {
    String digits = n.replaceAll("[^0-9]", "").replaceFirst("^0+", "");
    int e = digits.length();
    while (e > 0 && digits.charAt(e - 1) == '0') {
      e--;
    }
    return (e + 1) / 2 + 1;
  }

  @Test
  void numbers_asTheReference() {
    List<String> fixed =
        List.of(
            "0",
            "-0",
            "100",
            "0.001",
            "12.30",
            "-0012.3400E5",
            "1E+10",
            "1.5e-7",
            "9".repeat(38),
            "1000000000000000000000000000000000000",
            "0.0000",
            "-120.0");
    for (String n : fixed) {
      assertThat(ItemSizes.of(AttributeValue.fromN(n))).as(n).isEqualTo(referenceNumber(n));
    }
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      StringBuilder n = new StringBuilder(random.nextBoolean() ? "-" : "");
      int length = 1 + random.nextInt(20);
      for (int d = 0; d < length; d++) {
        n.append(random.nextInt(4) == 0 ? '0' : (char) ('0' + random.nextInt(10)));
        if (d == length / 2 && random.nextBoolean()) {
          n.append('.');
        }
      }
      if (random.nextInt(3) == 0) {
        n.append('E').append(random.nextBoolean() ? "+" : "-").append(random.nextInt(130));
      }
      String s = n.toString();
      assertThat(ItemSizes.of(AttributeValue.fromN(s))).as(s).isEqualTo(referenceNumber(s));
    }
  }

  @Test
  void utf8_asGetBytes_surrogatesIncluded() {
    List<String> fixed =
        List.of("", "abc", "é", "€", "😀", "a😀b", "\uD83D", "x\uDE00y", "\uDE00\uD83D");
    for (String s : fixed) {
      assertThat(ItemSizes.utf8(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }
    Random random = new Random(11);
    for (int i = 0; i < 10_000; i++) {
      char[] chars = new char[random.nextInt(12)];
      for (int c = 0; c < chars.length; c++) {
        chars[c] = (char) random.nextInt(0x10000);
      }
      String s = new String(chars);
      assertThat(ItemSizes.utf8(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void updateSizeCheck_decidesAsAWholeItemCheck_atTheLimit() {
    Random random = new Random(3);
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < 2_000; i++) {
      Map<String, AttributeValue> attributes = new LinkedHashMap<>();
      attributes.put("pk", AttributeValue.fromS("a"));
      attributes.put("version", AttributeValue.fromN("4"));
      attributes.put("write_token", AttributeValue.fromS("01JCSEED000000000000000004"));
      int big = 400 * 1024 - 2_000 + random.nextInt(4_000);
      attributes.put("big", AttributeValue.fromS("x".repeat(big)));
      attributes.put("small", AttributeValue.fromN(Integer.toString(random.nextInt(1000))));
      VersionedItem current = new VersionedItem(attributes, 4, "01JCSEED000000000000000004", false);
      Changes.Builder changes = Changes.builder();
      if (random.nextBoolean()) {
        changes.set("small", AttributeValue.fromS("y".repeat(random.nextInt(3_000))));
      }
      if (random.nextInt(4) == 0) {
        changes.remove("big");
      } else if (random.nextBoolean()) {
        changes.set("added", AttributeValue.fromS("z".repeat(random.nextInt(2_000))));
      }
      Changes built = changes.build();

      Map<String, AttributeValue> whole = new LinkedHashMap<>(attributes);
      whole.putAll(built.set());
      built.remove().forEach(whole::remove);
      whole.put("version", AttributeValue.fromN(Long.toString(Long.MAX_VALUE)));
      whole.put("write_token", AttributeValue.fromS("01JCSEED000000000000000005"));
      whole.put("parent_token", AttributeValue.fromS("01JCSEED000000000000000004"));
      boolean fits = ItemSizes.of(whole) <= ItemSizes.MAX_ITEM_BYTES;

      if (fits) {
        rules.checkChanges(KEY, current, built);
        accepted++;
      } else {
        refused++;
        assertThatThrownBy(() -> rules.checkChanges(KEY, current, built))
            .isInstanceOfSatisfying(
                InvalidItemException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.ITEM_TOO_LARGE));
      }
    }
    assertThat(accepted).as("both sides of the limit were tried").isGreaterThan(200);
    assertThat(refused).isGreaterThan(200);
  }
}
