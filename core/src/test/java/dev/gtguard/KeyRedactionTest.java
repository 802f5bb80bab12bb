package dev.gtguard;

import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.exception.RetriesExhaustedException;
import dev.gtguard.exception.VersionConflictException;
import dev.gtguard.spi.RetriesExhausted;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys are redactable wherever the library renders them for people, and item values never appear
 * there: exception messages, WARN log lines, events' and items' {@code toString}.
 */
@DynamoDbLocalTest
class KeyRedactionTest {
  private static final String SECRET_KEY = "customer-jane.doe@example.com";
  private static final String SECRET_VALUE = "221B Baker Street";

  private final List<Object> events = new CopyOnWriteArrayList<>();
  private VersionedTable table;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    table =
        VersionedTable.builder()
            .client(ddb.client())
            .tableName(ddb.createTable("privacy", "pk"))
            .partitionKey("pk")
            .retryPolicy(ConflictRetryPolicy.builder().maxAttempts(1).build())
            .listener(
                new WriteListener() {
                  @Override
                  public void onRetriesExhausted(RetriesExhausted event) {
                    events.add(event);
                  }
                })
            .build();
  }

  @AfterEach
  void tearDown() {
    KeyRedaction.use(KeyRedaction.NONE);
  }

  @Test
  void hashed_keysHashedEverywhere_valuesNowhere() {
    KeyRedaction.use(KeyRedaction.HASHED);
    VersionedItem held = table.create(item("pk", s(SECRET_KEY), "address", s(SECRET_VALUE)));
    table.update(ItemKey.of("pk", SECRET_KEY), i -> Changes.builder().set("n", 1).build());
    String log =
        stderrOf(
            () ->
                assertThatThrownBy(
                        () -> table.update(held, i -> Changes.builder().set("n", 2).build()))
                    .isInstanceOfSatisfying(
                        RetriesExhaustedException.class,
                        e -> {
                          assertThat(e.getMessage()).doesNotContain(SECRET_KEY);
                          assertThat(e.key().get("pk").s()).isEqualTo(SECRET_KEY);
                        }));
    assertThatThrownBy(() -> table.delete(ItemKey.of("pk", SECRET_KEY), held.expected()))
        .isInstanceOf(VersionConflictException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET_KEY));

    String hashed = ItemKey.of("pk", SECRET_KEY).toString();
    assertThat(hashed).matches("\\{pk=#[0-9a-f]{12}}");
    assertThat(log).contains("giving up").contains(hashed).doesNotContain(SECRET_KEY);
    assertThat(events).singleElement().asString().contains(hashed).doesNotContain(SECRET_KEY);
    assertThat(held.toString()).doesNotContain(SECRET_VALUE).doesNotContain(SECRET_KEY);
  }

  @Test
  void dropped_andLostWriteToString_neverShowValues() {
    KeyRedaction.use(KeyRedaction.DROPPED);
    LostWrite lost =
        new LostWrite(
            "privacy",
            ItemKey.of("pk", SECRET_KEY),
            "eu-west-1",
            2,
            "t2",
            3,
            "t3",
            Map.of("address", s(SECRET_VALUE), "n", n(1)),
            Changes.builder().set("address", SECRET_VALUE).build(),
            LostWrite.Source.LEDGER);

    assertThat(lost.toString())
        .contains("{pk=<redacted>}")
        .contains("[address]")
        .doesNotContain(SECRET_VALUE)
        .doesNotContain(SECRET_KEY);
  }

  @Test
  void none_keysShownAsTheConsoleShowsThem() {
    assertThat(ItemKey.of("pk", SECRET_KEY).toString()).isEqualTo("{pk=" + SECRET_KEY + "}");
  }

  private static String stderrOf(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
