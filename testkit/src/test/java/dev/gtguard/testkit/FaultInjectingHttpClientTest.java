package dev.gtguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/** Each fault does to DynamoDB Local and to the SDK exactly what it says. */
@DynamoDbLocalTest
class FaultInjectingHttpClientTest {
  private static final Map<String, AttributeValue> KEY = Map.of("pk", AttributeValue.fromS("a"));

  private final FaultInjectingHttpClient faults =
      new FaultInjectingHttpClient(Apache5HttpClient.create());
  private DynamoDbClient client;
  private DynamoDbClient raw;
  private String table;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    raw = ddb.client();
    client = ddb.newClient(Region.EU_WEST_1, faults);
    table = ddb.createTable("faults", "pk");
    raw.putItem(r -> r.tableName(table).item(Map.of("pk", KEY.get("pk"), "n", n(0))));
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  private void increment() {
    client.updateItem(
        r ->
            r.tableName(table)
                .key(KEY)
                .updateExpression("ADD n :one")
                .expressionAttributeValues(Map.of(":one", n(1))));
  }

  private AttributeValue stored() {
    return raw.getItem(r -> r.tableName(table).key(KEY).consistentRead(true)).item().get("n");
  }

  @Test
  void dropResponse_appliedThenRetriedBySdk_appliesTwice() {
    // An unconditional ADD shows what the SDK's retry does to a write whose response was lost.
    faults.inject("UpdateItem", Fault.dropResponse(), 1);

    increment();

    assertThat(stored()).isEqualTo(n(2));
    assertThat(faults.injected()).isEqualTo(1);
  }

  @Test
  void dropResponse_meanwhileRunsAfterTheRequestReachedTheServer() {
    AtomicInteger seen = new AtomicInteger();
    faults.inject("UpdateItem", Fault.dropResponse(), 1, () -> seen.set(stored().n().length()));

    increment();

    assertThat(seen).hasValue(1); // "1": the dropped request had been applied
  }

  @Test
  void refuseConnection_neverSent_sdkReportsEveryAttempt() {
    faults.inject("UpdateItem", Fault.refuseConnection(), 20);

    assertThatThrownBy(this::increment)
        .isInstanceOfSatisfying(
            SdkClientException.class,
            e -> {
              assertThat(e).hasRootCauseInstanceOf(ConnectException.class);
              assertThat(e.numAttempts()).isEqualTo(9);
              assertThat(e.getSuppressed()).hasSize(e.numAttempts() - 1);
            });
    assertThat(stored()).isEqualTo(n(0));
  }

  @Test
  void serverErrors_beforeAndAfterApplying() {
    faults.inject("UpdateItem", Fault.serverErrorBeforeApplying(), 20);
    assertThatThrownBy(this::increment).isInstanceOf(InternalServerErrorException.class);
    assertThat(stored()).isEqualTo(n(0));

    faults.clear();
    faults.inject("UpdateItem", Fault.serverErrorAfterApplying(), 1);
    increment(); // the SDK retries the 500: applied twice
    assertThat(stored()).isEqualTo(n(2));
  }

  @Test
  void throttle_notApplied() {
    faults.inject("UpdateItem", Fault.throttle(), 20);

    assertThatThrownBy(this::increment).isInstanceOf(ProvisionedThroughputExceededException.class);
    assertThat(stored()).isEqualTo(n(0));
  }

  @Test
  void otherOperations_untouched() {
    faults.inject("PutItem", Fault.refuseConnection(), 1);

    increment();

    assertThat(stored()).isEqualTo(n(1));
    assertThat(faults.injected()).isZero();
  }
}
