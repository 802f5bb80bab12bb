package dev.gtguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.testkit.internal.NettyClients;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Each fault, injected below the SDK of a {@code DynamoDbAsyncClient}, does to DynamoDB Local and
 * to the SDK what it does below a blocking client's: the same items stored afterwards, and the same
 * exception, attempt count and attempt history; a refused connection reads as a real Netty
 * client's.
 */
@DynamoDbLocalTest
class FaultInjectingAsyncHttpClientTest {
  private static final Map<String, AttributeValue> A = Map.of("pk", AttributeValue.fromS("a"));
  private static final Map<String, AttributeValue> B = Map.of("pk", AttributeValue.fromS("b"));

  private LocalDynamoDb ddb;
  private FaultInjectingHttpClient blockingFaults;
  private FaultInjectingAsyncHttpClient asyncFaults;
  private DynamoDbClient blocking;
  private DynamoDbAsyncClient async;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    this.ddb = ddb;
    blockingFaults = new FaultInjectingHttpClient(Apache5HttpClient.create());
    asyncFaults = new FaultInjectingAsyncHttpClient();
    blocking = ddb.newClient(Region.EU_WEST_1, blockingFaults);
    async = ddb.newAsyncClient(Region.EU_WEST_1, asyncFaults);
  }

  @AfterEach
  void tearDown() {
    blocking.close();
    async.close();
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  /** A write, and a fault injected into its operation a number of times. */
  record Case(String name, Fault fault, int times, Duration attemptTimeout, boolean transaction) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> faults() {
    return Stream.of(
            write("dropResponse once", Fault.dropResponse(), 1),
            write("dropResponse always", Fault.dropResponse(), 20),
            write("refuseConnection once", Fault.refuseConnection(), 1),
            write("refuseConnection always", Fault.refuseConnection(), 20),
            write("serverErrorAfterApplying once", Fault.serverErrorAfterApplying(), 1),
            write("serverErrorAfterApplying always", Fault.serverErrorAfterApplying(), 20),
            write("serverErrorBeforeApplying once", Fault.serverErrorBeforeApplying(), 1),
            write("serverErrorBeforeApplying always", Fault.serverErrorBeforeApplying(), 20),
            write("throttle twice", Fault.throttle(), 2),
            write("throttle always", Fault.throttle(), 20),
            write("delayResponse then reset", Fault.delayResponse(ms(100)), 1),
            new Case(
                "delayResponse past the attempt timeout",
                Fault.delayResponse(Duration.ofSeconds(5)),
                1,
                Duration.ofSeconds(1),
                false),
            transaction(
                "cancelTransaction (throttled)",
                Fault.cancelTransaction("None", "ThrottlingError"),
                1),
            transaction(
                "cancelTransaction (condition) always",
                Fault.cancelTransaction("None", "ConditionalCheckFailed"),
                20))
        .map(Arguments::of);
  }

  private static Case write(String name, Fault fault, int times) {
    return new Case(name, fault, times, null, false);
  }

  private static Case transaction(String name, Fault fault, int times) {
    return new Case(name, fault, times, null, true);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void sameOutcome_blockingAndAsync(Case c) {
    Outcome viaBlocking = run(c, false).outcome();
    Outcome viaAsync = run(c, true).outcome();

    assertThat(viaAsync).isEqualTo(viaBlocking);
  }

  @Test
  void outcomes_asTheFaultsSay() {
    // A few outcomes pinned, so that both clients agreeing on a wrong one would show.
    Outcome lostOnce = run(new Case("", Fault.dropResponse(), 1, null, false), true).outcome();
    assertThat(lostOnce.items()).containsExactly(List.of(n(2)), List.of());
    assertThat(lostOnce.exception()).isNull();
    assertThat(lostOnce.injected()).isEqualTo(1);

    Outcome refused = run(new Case("", Fault.refuseConnection(), 20, null, false), true).outcome();
    assertThat(refused.items()).containsExactly(List.of(), List.of());
    assertThat(refused.exception()).isEqualTo("SdkClientException");
    assertThat(refused.attempts()).isEqualTo(LocalDynamoDb.DYNAMODB_SDK_ATTEMPTS);
    assertThat(refused.connectFailure()).isTrue();
    assertThat(refused.everyAttemptAsTheLast()).isTrue();
    assertThat(refused.injected()).isEqualTo(LocalDynamoDb.DYNAMODB_SDK_ATTEMPTS);

    Outcome before =
        run(new Case("", Fault.serverErrorBeforeApplying(), 20, null, false), true).outcome();
    assertThat(before.items()).containsExactly(List.of(), List.of());
    assertThat(before.exception()).isEqualTo("InternalServerErrorException");

    Outcome after =
        run(new Case("", Fault.serverErrorAfterApplying(), 20, null, false), true).outcome();
    assertThat(after.items()).containsExactly(List.of(n(9)), List.of());

    Outcome timedOut =
        run(
                new Case(
                    "",
                    Fault.delayResponse(Duration.ofSeconds(5)),
                    1,
                    Duration.ofSeconds(1),
                    false),
                true)
            .outcome();
    assertThat(timedOut.items()).containsExactly(List.of(n(2)), List.of()); // applied, retried
    assertThat(timedOut.exception()).isNull();

    Outcome cancelled =
        run(
                new Case(
                    "", Fault.cancelTransaction("None", "ConditionalCheckFailed"), 1, null, true),
                true)
            .outcome();
    assertThat(cancelled.items()).containsExactly(List.of(), List.of());
    assertThat(cancelled.exception()).isEqualTo("TransactionCanceledException");
  }

  @Test
  void dropResponse_meanwhileRunsAfterTheRequestReachedTheServer_beforeTheSdkRetries() {
    String table = ddb.createTable("faults", "pk");
    AtomicReference<Map<String, AttributeValue>> seen = new AtomicReference<>();
    asyncFaults.inject(
        "UpdateItem",
        Fault.dropResponse(),
        1,
        () -> {
          seen.set(stored(table, A));
          ddb.client().updateItem(increment(table, A, 10)); // blocking, from the meanwhile
        });

    async.updateItem(increment(table, A, 1)).join();

    assertThat(seen.get()).containsEntry("n", n(1)); // the dropped request had been applied
    assertThat(stored(table, A)).containsEntry("n", n(12)); // 1, the other writer's 10, the retry
  }

  @Test
  void otherOperations_untouched() {
    String table = ddb.createTable("faults", "pk");
    asyncFaults.inject("PutItem", Fault.refuseConnection(), 1);

    async.updateItem(increment(table, A, 1)).join();

    assertThat(stored(table, A)).containsEntry("n", n(1));
    assertThat(asyncFaults.injected()).isZero();
  }

  @Test
  void refuseConnection_readsAsARealNettyClientsRefusal() throws Exception {
    String table = ddb.createTable("faults", "pk");
    asyncFaults.inject("UpdateItem", Fault.refuseConnection(), 20);
    Result injected = call(() -> async.updateItem(increment(table, A, 1)).join(), table, () -> 0);

    Result real = realRefusal(table);

    assertThat(real.outcome().connectFailure()).as("%s", real.thrown()).isTrue();
    assertThat(injected.outcome()).isEqualTo(real.outcome());
    assertThat(injected.thrown()).hasRootCauseInstanceOf(ConnectException.class);
  }

  /**
   * A write through the testkit's Netty client to a port nothing listens on. Now and then Netty
   * reports a refused connection only when its connection acquisition times out, seen with the
   * SDK's default Netty client too: such a run is tried again (its acquisition timeout shortened).
   */
  private Result realRefusal(String table) throws IOException {
    BackoffStrategy quick =
        BackoffStrategy.exponentialDelay(Duration.ofMillis(1), Duration.ofMillis(20));
    Result real = null;
    for (int run = 0; run < 5 && (real == null || !real.outcome().connectFailure()); run++) {
      int closedPort;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closedPort = socket.getLocalPort();
      }
      try (DynamoDbAsyncClient nowhere =
          DynamoDbAsyncClient.builder()
              .endpointOverride(URI.create("http://127.0.0.1:" + closedPort))
              .region(Region.EU_WEST_1)
              .credentialsProvider(
                  StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
              .httpClientBuilder(
                  NettyClients.builder().connectionAcquisitionTimeout(Duration.ofSeconds(1)))
              .overrideConfiguration(
                  o ->
                      o.retryStrategy(
                          r ->
                              r.maxAttempts(LocalDynamoDb.DYNAMODB_SDK_ATTEMPTS)
                                  .backoffStrategy(quick)))
              .build()) {
        real = call(() -> nowhere.updateItem(increment(table, A, 1)).join(), table, () -> 0);
      }
    }
    return real;
  }

  @Test
  void dropResponse_readsAsNettyReportsAConnectionReset() {
    String table = ddb.createTable("faults", "pk");
    asyncFaults.inject("UpdateItem", Fault.dropResponse(), 20);

    Result result = call(() -> async.updateItem(increment(table, A, 1)).join(), table, () -> 0);

    assertThat(result.thrown())
        .isInstanceOf(SdkClientException.class)
        .hasMessageContaining("The connection was closed during the request")
        .hasCauseInstanceOf(IOException.class)
        .hasRootCauseInstanceOf(SocketException.class);
    assertThat(result.outcome().connectFailure()).isFalse(); // so each may have been applied
    assertThat(result.outcome().items()).containsExactly(List.of(n(9)), List.of());
  }

  /** Runs the case's write on a fresh table through one of the two clients. */
  private Result run(Case c, boolean viaAsync) {
    String table = ddb.createTable("faults", "pk");
    String operation = c.transaction() ? "TransactWriteItems" : "UpdateItem";
    Consumer<AwsRequestOverrideConfiguration.Builder> timeout =
        o -> {
          if (c.attemptTimeout() != null) {
            o.apiCallAttemptTimeout(c.attemptTimeout());
          }
        };
    UpdateItemRequest update =
        increment(table, A, 1).toBuilder().overrideConfiguration(timeout).build();
    TransactWriteItemsRequest transaction =
        TransactWriteItemsRequest.builder()
            .transactItems(
                TransactWriteItem.builder().update(u -> increment(u, table, A)).build(),
                TransactWriteItem.builder().update(u -> increment(u, table, B)).build())
            .overrideConfiguration(timeout)
            .build();
    if (viaAsync) {
      asyncFaults.inject(operation, c.fault(), c.times());
      int before = asyncFaults.injected();
      Result result =
          call(
              () ->
                  (c.transaction()
                          ? async.transactWriteItems(transaction)
                          : async.updateItem(update))
                      .join(),
              table,
              () -> asyncFaults.injected() - before);
      asyncFaults.clear();
      return result;
    }
    blockingFaults.inject(operation, c.fault(), c.times());
    int before = blockingFaults.injected();
    Result result =
        call(
            () -> {
              if (c.transaction()) {
                blocking.transactWriteItems(transaction);
              } else {
                blocking.updateItem(update);
              }
            },
            table,
            () -> blockingFaults.injected() - before);
    blockingFaults.clear();
    return result;
  }

  private static void increment(Update.Builder u, String table, Map<String, AttributeValue> key) {
    u.tableName(table)
        .key(key)
        .updateExpression("ADD n :one")
        .expressionAttributeValues(Map.of(":one", n(1)));
  }

  private static UpdateItemRequest increment(
      String table, Map<String, AttributeValue> key, long by) {
    return UpdateItemRequest.builder()
        .tableName(table)
        .key(key)
        .updateExpression("ADD n :by")
        .expressionAttributeValues(Map.of(":by", n(by)))
        .build();
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  private Map<String, AttributeValue> stored(String table, Map<String, AttributeValue> key) {
    return ddb.client().getItem(r -> r.tableName(table).key(key).consistentRead(true)).item();
  }

  /** What a write did, and what it threw (null if nothing). */
  record Result(Outcome outcome, Throwable thrown) {}

  /**
   * What a write did, as far as it tells whether it was applied: the counter of items a and b as
   * stored afterwards (an empty list: no such item); the SDK's exception type and attempt count;
   * whether a connect failure is in its cause chain, and whether every earlier attempt failed word
   * for word as the last one did (together, how gtguard tells a request that was never sent); and
   * how many faults were injected.
   */
  record Outcome(
      List<List<AttributeValue>> items,
      String exception,
      Integer attempts,
      boolean connectFailure,
      boolean everyAttemptAsTheLast,
      int injected) {}

  private Result call(Runnable write, String table, IntSupplier injected) {
    Throwable thrown = null;
    try {
      write.run();
    } catch (RuntimeException e) {
      thrown = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
    List<List<AttributeValue>> items = new ArrayList<>();
    for (Map<String, AttributeValue> key : List.of(A, B)) {
      Map<String, AttributeValue> item = stored(table, key);
      items.add(item == null || item.isEmpty() ? List.of() : List.of(item.get("n")));
    }
    if (thrown == null) {
      return new Result(new Outcome(items, null, null, false, false, injected.getAsInt()), null);
    }
    boolean connectFailure = false;
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      connectFailure |= t instanceof ConnectException;
    }
    String last = String.valueOf(thrown.getMessage());
    Throwable[] earlier = thrown.getSuppressed();
    boolean asTheLast = earlier.length > 0;
    for (Throwable attempt : earlier) {
      String message = String.valueOf(attempt.getMessage());
      int failure = message.indexOf(" failure: ");
      asTheLast &=
          message.startsWith("Request attempt ")
              && failure >= 0
              && last.startsWith(message.substring(failure + " failure: ".length()));
    }
    return new Result(
        new Outcome(
            items,
            thrown.getClass().getSimpleName(),
            thrown instanceof SdkException s ? s.numAttempts() : null,
            connectFailure,
            asTheLast,
            injected.getAsInt()),
        thrown);
  }
}
