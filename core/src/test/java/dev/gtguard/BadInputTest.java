package dev.gtguard;

import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.InvalidItemException.Reason;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import dev.gtguard.testkit.RequestCounter;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Every refused input gets a typed error naming the rule, and no write request is sent. */
@DynamoDbLocalTest
class BadInputTest {
  private static final ItemKey KEY = ItemKey.of("pk", "sub#1");
  private static final String KILOBYTES_300 = "x".repeat(300 * 1024);

  private final RequestCounter counter = new RequestCounter();
  private DynamoDbClient raw;
  private DynamoDbClient counted;
  private String tableName;
  private VersionedTable table;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    raw = ddb.client();
    counted = ddb.newClient(Region.EU_WEST_1, counter);
    tableName = ddb.createTable("bad-input", "pk");
    table =
        VersionedTable.builder().client(counted).tableName(tableName).partitionKey("pk").build();
  }

  @AfterEach
  void tearDown() {
    counted.close();
  }

  private Map<String, AttributeValue> stored() {
    return raw.getItem(r -> r.tableName(tableName).key(KEY.asMap()).consistentRead(true)).item();
  }

  private void assertRefused(ThrowingCallable call, Reason reason) {
    long writesBefore = writes();
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidItemException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.tableName()).isEqualTo(tableName);
              assertThat(e.getMessage()).contains(tableName);
            });
    assertThat(writes()).as("write requests sent").isEqualTo(writesBefore);
  }

  private long writes() {
    return counter.count("PutItem") + counter.count("UpdateItem") + counter.count("DeleteItem");
  }

  private void createSubscriber() {
    raw.putItem(
        r ->
            r.tableName(tableName)
                .item(
                    item(
                        "pk", s("sub#1"), "count", n(0), "version", n(3), "write_token", s("t3"))));
  }

  @Test
  void create_missingPartitionKey_refused() {
    assertRefused(() -> table.create(item("count", n(0))), Reason.MISSING_KEY);
  }

  @Test
  void create_emptyPartitionKey_refused() {
    assertRefused(() -> table.create(item("pk", s(""), "count", n(0))), Reason.MISSING_KEY);
  }

  @Test
  void create_partitionKeyOfWrongType_refused() {
    assertRefused(
        () -> table.create(item("pk", AttributeValue.fromBool(true))), Reason.MISSING_KEY);
  }

  @Test
  void get_keyWithExtraAttribute_refused() {
    ItemKey wrong = ItemKey.of("pk", s("a"), "sk", s("b"));
    assertThatThrownBy(() -> table.get(wrong))
        .isInstanceOfSatisfying(
            InvalidItemException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_KEY));
  }

  @Test
  void update_keyMissingPartitionKey_refused() {
    assertRefused(
        () -> table.update(ItemKey.of("id", "sub#1"), Items.increment()), Reason.MISSING_KEY);
  }

  @Test
  void create_reservedReplicationAttribute_refused() {
    assertRefused(
        () -> table.create(item("pk", s("sub#1"), "aws:rep:updateregion", s("us-east-1"))),
        Reason.RESERVED_ATTRIBUTE);
    assertThat(stored()).isEmpty();
  }

  @Test
  void create_itemCarryingVersion_refused() {
    assertRefused(
        () -> table.create(item("pk", s("sub#1"), "version", n(5))), Reason.VERSION_CHANGED);
    assertThat(stored()).isEmpty();
  }

  @Test
  void create_itemOver400KB_refused() {
    assertRefused(
        () ->
            table.create(
                item(
                    "pk",
                    s("sub#1"),
                    "a",
                    s(KILOBYTES_300),
                    "b",
                    AttributeValue.fromB(SdkBytes.fromByteArray(new byte[120 * 1024])))),
        Reason.ITEM_TOO_LARGE);
    assertThat(stored()).isEmpty();
  }

  @Test
  void update_functionSetsReservedAttribute_refused() {
    createSubscriber();
    assertRefused(
        () -> table.update(KEY, c -> Changes.builder().set("aws:rep:deleting", "true").build()),
        Reason.RESERVED_ATTRIBUTE);
    assertThat(stored()).containsEntry("version", n(3));
  }

  @Test
  void update_functionChangesKey_refused() {
    createSubscriber();
    assertRefused(
        () -> table.update(KEY, c -> Changes.builder().set("pk", "sub#2").build()),
        Reason.KEY_CHANGED);
    assertRefused(
        () -> table.update(KEY, c -> Changes.builder().remove("pk").build()), Reason.KEY_CHANGED);
  }

  @Test
  void update_functionSetsKeyToSameValue_isHarmless() {
    createSubscriber();
    UpdateResult result =
        table.update(KEY, c -> Changes.builder().set("pk", "sub#1").set("count", 1).build());
    assertThat(result.item().version()).isEqualTo(4);
  }

  @Test
  void update_functionChangesVersion_refused() {
    createSubscriber();
    assertRefused(
        () -> table.update(KEY, c -> Changes.builder().set("version", 99).build()),
        Reason.VERSION_CHANGED);
    assertRefused(
        () -> table.update(KEY, c -> Changes.builder().remove("write_token").build()),
        Reason.VERSION_CHANGED);
    assertThat(stored()).containsEntry("version", n(3));
  }

  @Test
  void update_functionGrowsItemOver400KB_refused() {
    createSubscriber();
    table.update(KEY, c -> Changes.builder().set("a", KILOBYTES_300).build());
    assertRefused(
        () -> table.update(KEY, c -> Changes.builder().set("b", KILOBYTES_300).build()),
        Reason.ITEM_TOO_LARGE);
    assertThat(stored()).doesNotContainKey("b");
  }

  @Test
  void update_storedVersionIsString_refused() {
    raw.putItem(r -> r.tableName(tableName).item(item("pk", s("sub#1"), "version", s("3"))));
    assertRefused(() -> table.update(KEY, Items.increment()), Reason.VERSION_TYPE);
  }

  @Test
  void update_storedVersionIsFraction_refused() {
    raw.putItem(
        r ->
            r.tableName(tableName)
                .item(item("pk", s("sub#1"), "version", AttributeValue.fromN("3.5"))));
    assertRefused(() -> table.update(KEY, Items.increment()), Reason.VERSION_TYPE);
  }

  @Test
  void update_storedTokenIsNumber_refused() {
    raw.putItem(
        r ->
            r.tableName(tableName)
                .item(item("pk", s("sub#1"), "version", n(3), "write_token", n(1))));
    assertRefused(() -> table.update(KEY, Items.increment()), Reason.VERSION_TYPE);
  }

  @Test
  void update_conditionUsingLibraryPlaceholders_refused() {
    createSubscriber();
    assertRefused(
        () ->
            table.update(
                KEY,
                c ->
                    Changes.builder()
                        .set("count", 1)
                        .condition("#gt_v = :x", Map.of("#gt_v", "status"), Map.of(":x", s("A")))
                        .build()),
        Reason.RESERVED_PLACEHOLDER);
  }

  @Test
  void singleShotUpdate_itemOver400KBOnServer_refusedAsTooLarge() {
    createSubscriber();
    table.update(KEY, c -> Changes.builder().set("a", KILOBYTES_300).build());
    VersionedItem current = table.get(KEY).orElseThrow();
    // The single-shot path has not read the item, so only DynamoDB can tell the total size.
    assertThatThrownBy(
            () ->
                table.update(
                    KEY, current.expected(), Changes.builder().set("b", KILOBYTES_300).build()))
        .isInstanceOfSatisfying(
            InvalidItemException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.ITEM_TOO_LARGE));
    assertThat(stored()).doesNotContainKey("b");
  }
}
