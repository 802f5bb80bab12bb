package dev.gtguard;

import static dev.gtguard.Items.item;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.spy;

import com.github.f4b6a3.ulid.Ulid;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.ItemAlreadyExistsException;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.Fault;
import dev.gtguard.testkit.FaultInjectingHttpClient;
import dev.gtguard.testkit.LocalDynamoDb;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

@DynamoDbLocalTest
class AppendOnlyTableTest {
  private DynamoDbClient raw;
  private String tableName;
  private AppendOnlyTable events;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    raw = ddb.client();
    tableName = ddb.createTable("events", "pk", "sk");
    events = table(raw);
  }

  private AppendOnlyTable table(DynamoDbClient client) {
    return AppendOnlyTable.builder()
        .client(client)
        .table(
            TableDescription.builder()
                .tableName(tableName)
                .partitionKey("pk")
                .sortKey("sk")
                .build())
        .build();
  }

  private List<Map<String, AttributeValue>> all() {
    return raw.query(
            r ->
                r.tableName(tableName)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s("sub#1")))
                    .consistentRead(true))
        .items();
  }

  @Test
  void append_manyItems_eachUnderItsOwnUlidInCreationOrder() {
    List<String> sortKeys = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      sortKeys.add(events.append(item("pk", s("sub#1"), "seq", Items.n(i))).get("sk").s());
    }

    assertThat(sortKeys)
        .doesNotHaveDuplicates()
        .isSorted()
        .allSatisfy(sk -> assertThat(Ulid.isValid(sk)).isTrue());
    List<Map<String, AttributeValue>> stored = all();
    assertThat(stored).hasSize(50);
    // Query order is sort-key order, and ULIDs sort in creation order.
    for (int i = 0; i < 50; i++) {
      assertThat(stored.get(i).get("seq")).isEqualTo(Items.n(i));
    }
  }

  @Test
  void append_sameUlidTwice_appendsOnce() {
    Ulid ulid = AppendOnlyTable.newUlid();
    Map<String, AttributeValue> event = item("pk", s("sub#1"), "type", s("ADDRESS_CHANGED"));

    ItemKey first = events.append(event, ulid);
    ItemKey second = events.append(event, ulid);

    assertThat(second).isEqualTo(first);
    assertThat(all()).hasSize(1);
  }

  @Test
  void append_sameUlidOtherContent_throwsItemAlreadyExists() {
    Ulid ulid = AppendOnlyTable.newUlid();
    events.append(item("pk", s("sub#1"), "type", s("A")), ulid);

    assertThatThrownBy(() -> events.append(item("pk", s("sub#1"), "type", s("B")), ulid))
        .isInstanceOf(ItemAlreadyExistsException.class);
    assertThat(all()).singleElement().satisfies(i -> assertThat(i.get("type")).isEqualTo(s("A")));
  }

  @Test
  void append_responseLostAfterWrite_retriesWithSameUlidAndAppendsOnce() {
    // The put lands, but its response is lost: a fault DynamoDB Local cannot produce by itself.
    DynamoDbClient flaky = spy(raw);
    AtomicInteger puts = new AtomicInteger();
    doAnswer(
            invocation -> {
              int attempt = puts.incrementAndGet();
              Object response = invocation.callRealMethod();
              if (attempt == 1) {
                throw SdkClientException.create("connection reset");
              }
              return response;
            })
        .when(flaky)
        .putItem(any(PutItemRequest.class));

    ItemKey key = table(flaky).append(item("pk", s("sub#1"), "type", s("ADDRESS_CHANGED")));

    assertThat(puts).hasValue(2);
    assertThat(all())
        .singleElement()
        .satisfies(i -> assertThat(i.get("sk")).isEqualTo(key.get("sk")));
  }

  @Test
  void append_responseLost_sdkRetryFindsItsOwnItem_comparedAsDynamoDbDoes(LocalDynamoDb ddb) {
    FaultInjectingHttpClient faults = new FaultInjectingHttpClient(Apache5HttpClient.create());
    try (DynamoDbClient client = ddb.newClient(Region.EU_WEST_1, faults)) {
      faults.inject("PutItem", Fault.dropResponse(), 1);
      // DynamoDB hands back 1.5 for 1.50 and sets in its own order: still our item.
      Map<String, AttributeValue> event =
          item(
              "pk",
              s("sub#1"),
              "amount",
              AttributeValue.fromN("1.50"),
              "tags",
              AttributeValue.fromSs(List.of("b", "a", "c")),
              "sizes",
              AttributeValue.fromNs(List.of("10.0", "2")));

      ItemKey key = table(client).append(event);

      assertThat(all())
          .singleElement()
          .satisfies(i -> assertThat(i.get("sk")).isEqualTo(key.get("sk")));
    }
  }

  @Test
  void append_everyResponseLost_outcomeUnknown_appendedOnce(LocalDynamoDb ddb) {
    FaultInjectingHttpClient faults = new FaultInjectingHttpClient(Apache5HttpClient.create());
    try (DynamoDbClient client = ddb.newClient(Region.EU_WEST_1, faults)) {
      faults.inject("PutItem", Fault.dropResponse(), 1000);

      assertThatThrownBy(() -> table(client).append(item("pk", s("sub#1"), "type", s("A"))))
          .isInstanceOfSatisfying(
              OutcomeUnknownException.class, e -> assertThat(e.writeTokens()).hasSize(1));
      assertThat(all()).hasSize(1);
    }
  }

  @Test
  void append_itemWithSortKey_refused() {
    assertThatThrownBy(() -> events.append(item("pk", s("sub#1"), "sk", s("mine"))))
        .isInstanceOf(InvalidItemException.class);
    assertThat(all()).isEmpty();
  }

  @Test
  void append_reservedAttribute_refused() {
    assertThatThrownBy(() -> events.append(item("pk", s("sub#1"), "aws:rep:updatetime", s("1"))))
        .isInstanceOfSatisfying(
            InvalidItemException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidItemException.Reason.RESERVED_ATTRIBUTE));
    assertThat(all()).isEmpty();
  }
}
