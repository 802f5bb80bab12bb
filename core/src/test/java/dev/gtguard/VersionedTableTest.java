package dev.gtguard;

import static dev.gtguard.Items.count;
import static dev.gtguard.Items.increment;
import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.exception.ConditionNotMetException;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.ItemAlreadyExistsException;
import dev.gtguard.exception.ItemNotFoundException;
import dev.gtguard.exception.VersionConflictException;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@DynamoDbLocalTest
class VersionedTableTest {
  private static final ItemKey KEY = ItemKey.of("pk", "sub#1");

  private LocalDynamoDb ddb;
  private DynamoDbClient raw;
  private String tableName;
  private VersionedTable table;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    this.ddb = ddb;
    raw = ddb.client();
    tableName = ddb.createTable("subscribers", "pk");
    table =
        VersionedTable.builder()
            .client(raw)
            .tableName(tableName)
            .partitionKey("pk")
            .retryPolicy(
                ConflictRetryPolicy.builder()
                    .baseDelay(Duration.ofMillis(1))
                    .maxDelay(Duration.ofMillis(5))
                    .build())
            .build();
  }

  private Map<String, AttributeValue> stored() {
    return raw.getItem(r -> r.tableName(tableName).key(KEY.asMap()).consistentRead(true)).item();
  }

  @Test
  void create_newItem_storesVersion1AndToken() {
    VersionedItem created = table.create(item("pk", s("sub#1"), "count", n(0)));

    assertThat(created.version()).isEqualTo(1);
    assertThat(created.writeToken()).isPresent();
    assertThat(stored())
        .containsEntry("version", n(1))
        .containsEntry("write_token", s(created.writeToken().get()))
        .containsEntry("count", n(0));
    assertThat(table.get(KEY)).contains(created);
  }

  @Test
  void create_existingKey_throwsItemAlreadyExistsAndKeepsItem() {
    VersionedItem first = table.create(item("pk", s("sub#1"), "count", n(0)));

    assertThatThrownBy(() -> table.create(item("pk", s("sub#1"), "count", n(99))))
        .isInstanceOfSatisfying(
            ItemAlreadyExistsException.class,
            e -> {
              assertThat(e.existing()).isEqualTo(first);
              assertThat(e.tableName()).isEqualTo(tableName);
              assertThat(e.key()).isEqualTo(KEY);
              assertThat(e.region()).contains("eu-west-1");
            });
    assertThat(stored()).containsEntry("count", n(0));
  }

  @Test
  void get_missingItem_isEmpty() {
    assertThat(table.get(KEY)).isEmpty();
    assertThat(table.get(KEY, ReadConsistency.STRONG)).isEmpty();
  }

  @Test
  void update_function_writesOnlyChangedAttributesWithNextVersionAndNewToken() {
    VersionedItem created = table.create(item("pk", s("sub#1"), "count", n(0), "plan", s("basic")));
    // Another attribute changes behind our back, without touching version or token (as a legacy
    // writer would). The update must not restore its old value: it only SETs what it changed.
    raw.updateItem(
        r ->
            r.tableName(tableName)
                .key(KEY.asMap())
                .updateExpression("SET #p = :p")
                .expressionAttributeNames(Map.of("#p", "plan"))
                .expressionAttributeValues(Map.of(":p", s("pro"))));

    UpdateResult result = table.update(created, increment());

    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.item().version()).isEqualTo(2);
    assertThat(result.item().writeToken()).isPresent().isNotEqualTo(created.writeToken());
    assertThat(stored())
        .containsEntry("count", n(1))
        .containsEntry("plan", s("pro"))
        .containsEntry("version", n(2))
        .containsEntry("write_token", s(result.item().writeToken().get()));
  }

  @Test
  void update_removeChange_removesAttribute() {
    table.create(item("pk", s("sub#1"), "count", n(0), "pending", s("x")));

    table.update(KEY, current -> Changes.builder().remove("pending").build());

    assertThat(stored()).doesNotContainKey("pending").containsEntry("version", n(2));
  }

  @Test
  void update_noChanges_writesNothing() {
    VersionedItem created = table.create(item("pk", s("sub#1"), "count", n(0)));

    UpdateResult result = table.update(KEY, current -> Changes.none());

    assertThat(result.unchanged()).isTrue();
    assertThat(result.item()).isEqualTo(created);
    assertThat(stored()).containsEntry("version", n(1));
  }

  @Test
  void update_missingItem_throwsItemNotFound() {
    assertThatThrownBy(() -> table.update(KEY, increment()))
        .isInstanceOf(ItemNotFoundException.class)
        .hasMessageContaining("sub#1");
  }

  @Test
  void update_heldItemDeletedMeanwhile_throwsItemNotFoundAndCreatesNothing() {
    VersionedItem created = table.create(item("pk", s("sub#1"), "count", n(0)));
    raw.deleteItem(r -> r.tableName(tableName).key(KEY.asMap()));

    assertThatThrownBy(() -> table.update(created, increment()))
        .isInstanceOf(ItemNotFoundException.class);
    assertThat(stored()).isEmpty();
  }

  @Test
  void update_legacyItemWithoutVersion_isAdoptedAsVersion0() {
    raw.putItem(r -> r.tableName(tableName).item(item("pk", s("sub#1"), "count", n(41))));

    assertThat(table.get(KEY).orElseThrow().isLegacy()).isTrue();
    UpdateResult result = table.update(KEY, increment());

    assertThat(result.item().version()).isEqualTo(1);
    assertThat(result.item().isLegacy()).isFalse();
    assertThat(stored()).containsEntry("count", n(42)).containsEntry("version", n(1));
  }

  @Test
  void update_legacyItemWhenNotAdopting_throwsVersionMissingAndWritesNothing() {
    VersionedTable strict =
        VersionedTable.builder()
            .client(raw)
            .table(
                TableDescription.builder()
                    .tableName(tableName)
                    .partitionKey("pk")
                    .adoptLegacyItems(false)
                    .build())
            .build();
    raw.putItem(r -> r.tableName(tableName).item(item("pk", s("sub#1"), "count", n(41))));

    assertThatThrownBy(() -> strict.update(KEY, increment()))
        .isInstanceOfSatisfying(
            InvalidItemException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidItemException.Reason.VERSION_MISSING));
    assertThat(stored()).containsEntry("count", n(41)).doesNotContainKey("version");
  }

  @Test
  void update_staleHeldItem_reappliesFunctionToCurrentItem() {
    VersionedItem held = table.create(item("pk", s("sub#1"), "count", n(0)));
    table.update(KEY, increment());

    UpdateResult result = table.update(held, increment());

    assertThat(result.attempts()).isEqualTo(2);
    assertThat(count(result.item())).isEqualTo(2);
    assertThat(result.item().version()).isEqualTo(3);
  }

  @Test
  void update_singleShot_currentVersion_writes() {
    VersionedItem created = table.create(item("pk", s("sub#1"), "count", n(0)));

    VersionedItem updated =
        table.update(KEY, created.expected(), Changes.builder().set("count", 5).build());

    assertThat(updated.version()).isEqualTo(2);
    assertThat(stored()).containsEntry("count", n(5));
  }

  @Test
  void update_singleShot_staleVersion_throwsVersionConflictAndWritesNothing() {
    VersionedItem created = table.create(item("pk", s("sub#1"), "count", n(0)));
    VersionedItem current = table.update(KEY, increment()).item();

    assertThatThrownBy(
            () ->
                table.update(KEY, created.expected(), Changes.builder().set("count", 100).build()))
        .isInstanceOfSatisfying(
            VersionConflictException.class,
            e -> {
              assertThat(e.expectedVersion()).isEqualTo(1);
              assertThat(e.actualVersion()).isEqualTo(2);
              assertThat(e.current()).isEqualTo(current);
            });
    assertThat(stored()).containsEntry("count", n(1));
  }

  @Test
  void update_singleShot_sameVersionOtherToken_throwsVersionConflict() {
    VersionedItem created = table.create(item("pk", s("sub#1"), "count", n(0)));
    // What last-writer-wins replication leaves behind: another region's write at the same version.
    raw.putItem(
        r ->
            r.tableName(tableName)
                .item(
                    item(
                        "pk",
                        s("sub#1"),
                        "count",
                        n(7),
                        "version",
                        n(1),
                        "write_token",
                        s("other-region"))));

    assertThatThrownBy(
            () -> table.update(KEY, created.expected(), Changes.builder().set("count", 1).build()))
        .isInstanceOfSatisfying(
            VersionConflictException.class,
            e -> {
              assertThat(e.actualVersion()).isEqualTo(1);
              assertThat(e.current().writeToken()).contains("other-region");
            });
    assertThat(stored()).containsEntry("count", n(7));
  }

  @Test
  void update_callerConditionUsingCommonPlaceholderNames_composesWithVersionCheck() {
    table.create(item("pk", s("sub#1"), "count", n(0), "status", s("ACTIVE")));

    UpdateResult result =
        table.update(
            KEY,
            current ->
                Changes.builder()
                    .set("count", count(current) + 1)
                    .condition("#v = :v", Map.of("#v", "status"), Map.of(":v", s("ACTIVE")))
                    .build());

    assertThat(result.item().version()).isEqualTo(2);
    assertThat(stored()).containsEntry("count", n(1));
  }

  @Test
  void update_callerConditionFalse_throwsConditionNotMetWithoutRetrying() {
    table.create(item("pk", s("sub#1"), "count", n(0), "status", s("CLOSED")));
    int[] calls = {0};

    assertThatThrownBy(
            () ->
                table.update(
                    KEY,
                    current -> {
                      calls[0]++;
                      return Changes.builder()
                          .set("count", 1)
                          .condition("#s = :s", Map.of("#s", "status"), Map.of(":s", s("ACTIVE")))
                          .build();
                    }))
        .isInstanceOfSatisfying(
            ConditionNotMetException.class, e -> assertThat(e.current().version()).isEqualTo(1));
    assertThat(calls[0]).isEqualTo(1);
    assertThat(stored()).containsEntry("count", n(0));
  }

  @Test
  void delete_currentVersion_removesItem() {
    VersionedItem created = table.create(item("pk", s("sub#1"), "count", n(0)));

    table.delete(KEY, created.expected());

    assertThat(stored()).isEmpty();
  }

  @Test
  void delete_staleVersion_throwsVersionConflictAndKeepsItem() {
    VersionedItem created = table.create(item("pk", s("sub#1"), "count", n(0)));
    table.update(KEY, increment());

    assertThatThrownBy(() -> table.delete(KEY, created.expected()))
        .isInstanceOfSatisfying(
            VersionConflictException.class, e -> assertThat(e.actualVersion()).isEqualTo(2));
    assertThat(stored()).containsEntry("count", n(1));
  }

  @Test
  void delete_missingItem_throwsItemNotFound() {
    assertThatThrownBy(() -> table.delete(KEY, ExpectedVersion.of(1, "t")))
        .isInstanceOf(ItemNotFoundException.class);
  }

  @Test
  void delete_legacyItemAtVersion0_removesItem() {
    raw.putItem(r -> r.tableName(tableName).item(item("pk", s("sub#1"))));

    table.delete(KEY, table.get(KEY).orElseThrow().expected());

    assertThat(stored()).isEmpty();
  }

  @Test
  void sortKeyTable_roundTrips() {
    String sorted = ddb.createTable("sorted", "pk", "sk");
    VersionedTable t =
        VersionedTable.builder()
            .client(raw)
            .tableName(sorted)
            .partitionKey("pk")
            .sortKey("sk")
            .build();
    ItemKey key = ItemKey.of("pk", s("a"), "sk", s("b"));

    t.create(item("pk", s("a"), "sk", s("b"), "count", n(0)));
    t.update(key, increment());

    assertThat(t.get(key).map(Items::count)).contains(1L);
  }
}
