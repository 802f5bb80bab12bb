package dev.gtguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.gtguard.testkit.internal.NettyClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The asynchronous clients of a local Global Table stamp their writes as the blocking ones do: the
 * writes replicate tracked, and last-writer-wins orders blocking and asynchronous writes by when
 * they were made. One table for the class; each test makes its own DynamoDB table.
 */
@LocalGlobalTableTest(regions = {"eu-west-1", "us-east-1"})
class LocalGlobalTableAsyncTest {
  private static final String EU = "eu-west-1";
  private static final String US = "us-east-1";
  private static final Duration QUIET = Duration.ofSeconds(20);
  private static final Map<String, AttributeValue> KEY = Map.of("pk", s("subscriber#4711"));

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  private static Map<String, AttributeValue> get(DynamoDbClient client, String table) {
    return client.getItem(r -> r.tableName(table).key(KEY).consistentRead(true)).item();
  }

  private static Consumer<UpdateItemRequest.Builder> set(
      String table, String attribute, AttributeValue value) {
    return r ->
        r.tableName(table)
            .key(KEY)
            .updateExpression("SET #a = :v")
            .expressionAttributeNames(Map.of("#a", attribute))
            .expressionAttributeValues(Map.of(":v", value));
  }

  private static Consumer<UpdateItemRequest.Builder> increment(String table) {
    return r ->
        r.tableName(table)
            .key(KEY)
            .updateExpression("ADD n :one")
            .expressionAttributeValues(Map.of(":one", n(1)));
  }

  @Test
  void asyncWrite_stampedAndReplicated_notUntracked(LocalGlobalTable global) {
    String table = global.createTable("async", "pk");
    ReplicationStats before = global.stats();

    global
        .asyncClient(US)
        .putItem(r -> r.tableName(table).item(Map.of("pk", KEY.get("pk"), "a", n(1))))
        .join();
    global.awaitQuiescence(QUIET);

    assertThat(get(global.client(EU), table)).containsEntry("a", n(1));
    assertThat(global.stats().replicated() - before.replicated()).isEqualTo(1);
    assertThat(global.stats().untracked()).isEqualTo(before.untracked());
  }

  @ParameterizedTest(name = "async write last: {0}")
  @ValueSource(booleans = {true, false})
  void lastWriterWins_betweenABlockingAndAnAsyncWrite_byWhenTheyWereMade(
      boolean asyncLast, LocalGlobalTable global) throws Exception {
    String table = global.createTable("lww", "pk");
    global.client(EU).putItem(r -> r.tableName(table).item(Map.of("pk", KEY.get("pk"))));
    global.awaitQuiescence(QUIET);
    ReplicationStats before = global.stats();

    // Both regions write before either hears of the other: only the later write survives.
    global.pause();
    if (asyncLast) {
      global.client(EU).updateItem(set(table, "blocking", s("eu")));
      Thread.sleep(20);
      global.asyncClient(US).updateItem(set(table, "async", s("us"))).join();
    } else {
      global.asyncClient(US).updateItem(set(table, "async", s("us"))).join();
      Thread.sleep(20);
      global.client(EU).updateItem(set(table, "blocking", s("eu")));
    }
    global.resume();
    global.awaitQuiescence(QUIET);

    String winner = asyncLast ? "async" : "blocking";
    String loser = asyncLast ? "blocking" : "async";
    for (String region : global.regions()) {
      assertThat(get(global.client(region), table)).as(region).containsKey(winner);
      assertThat(get(global.client(region), table)).as(region).doesNotContainKey(loser);
    }
    assertThat(global.stats().discardedByLww() - before.discardedByLww()).isEqualTo(1);
    assertThat(global.stats().untracked()).isEqualTo(before.untracked());
  }

  @Test
  void manyAsyncWritesToOneItem_inFlightTogether_eachStamped_noneLost(LocalGlobalTable global) {
    String table = global.createTable("many", "pk");
    ReplicationStats before = global.stats();
    DynamoDbAsyncClient us = global.asyncClient(US);

    // Not joined one by one: each write's items stay locked until its future completes, on
    // whichever thread the SDK completes it, and the next write to the item waits for that.
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      writes.add(us.updateItem(increment(table)));
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    global.awaitQuiescence(QUIET);

    for (String region : global.regions()) {
      assertThat(get(global.client(region), table)).as(region).containsEntry("n", n(20));
    }
    assertThat(global.stats().replicated() - before.replicated()).isEqualTo(20);
    assertThat(global.stats().untracked()).isEqualTo(before.untracked());
  }

  @Test
  void asyncClients_oneSharedClientPerRegion_inRegionOrder(LocalGlobalTable global) {
    Map<String, DynamoDbAsyncClient> clients = global.asyncClients();

    assertThat(clients.keySet()).containsExactlyElementsOf(global.regions());
    for (String region : global.regions()) {
      assertThat(clients.get(region)).isSameAs(global.asyncClient(region));
      assertThat(clients.get(region).serviceClientConfiguration().region().id()).isEqualTo(region);
    }
    assertThatThrownBy(() -> global.asyncClient("mars-1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void newAsyncClient_runsTheGivenInterceptors_andStamps(LocalGlobalTable global) {
    String table = global.createTable("counted", "pk");
    ReplicationStats before = global.stats();
    RequestCounter counter = new RequestCounter();

    global.newAsyncClient(EU, counter).updateItem(increment(table)).join();
    global.awaitQuiescence(QUIET);

    assertThat(counter.count("UpdateItem")).isEqualTo(1);
    assertThat(get(global.client(US), table)).containsEntry("n", n(1));
    assertThat(global.stats().untracked()).isEqualTo(before.untracked());
  }

  @Test
  void asyncWrite_endedByApiCallTimeout_leavesTheItemUnlocked(LocalGlobalTable global) {
    String table = global.createTable("timeout", "pk");
    ReplicationStats before = global.stats();
    // The SDK calls no interceptor when an asynchronous call times out as a whole.
    Slow http = new Slow(Duration.ofMillis(800));
    DynamoDbAsyncClient slow = global.newAsyncClient(EU, http);

    CompletableFuture<?> timedOut =
        slow.updateItem(
            increment(table).andThen(r -> r.overrideConfiguration(o -> o.apiCallTimeout(ms(200)))));

    assertThatThrownBy(timedOut::join).hasCauseInstanceOf(ApiCallTimeoutException.class);
    assertTimeoutPreemptively(
        Duration.ofMillis(500), () -> global.client(EU).updateItem(increment(table)));
    // The timed-out write still lands, late and unstamped: it replicates as an untracked one.
    http.landed().join();
    global.awaitQuiescence(QUIET);
    for (String region : global.regions()) {
      assertThat(get(global.client(region), table)).as(region).containsEntry("n", n(2));
    }
    assertThat(global.stats().untracked() - before.untracked()).isEqualTo(1);
  }

  @Test
  void asyncWrite_cancelled_leavesTheItemUnlocked(LocalGlobalTable global) throws Exception {
    String table = global.createTable("cancel", "pk");
    Slow http = new Slow(Duration.ofMillis(800));
    DynamoDbAsyncClient slow = global.newAsyncClient(EU, http);

    CompletableFuture<?> cancelled = slow.updateItem(increment(table));
    Thread.sleep(100);
    cancelled.cancel(true);

    assertTimeoutPreemptively(
        Duration.ofMillis(500), () -> global.client(EU).updateItem(increment(table)));
    http.landed().join();
    global.awaitQuiescence(QUIET);
    for (String region : global.regions()) {
      assertThat(get(global.client(region), table)).as(region).containsEntry("n", n(2));
    }
  }

  @Test
  void faultsMeanwhile_writesTheSameItemThroughTheRegionsClients_asWithTheBlockingFaults(
      LocalGlobalTable global) {
    // The refused request's item is locked from before it is sent: the meanwhile's writers to it
    // go ahead, as they do on the blocking client's thread, rather than wait for it for ever.
    // (refuseConnection: the SDK's retry is the only write; a write the SDK applies twice is
    // sdkRetryOfAnAppliedWrite_twoRecords_replicasConvergeOnTheLast.)
    ReplicationStats start = global.stats();
    String viaBlocking = global.createTable("nested", "pk");
    FaultInjectingHttpClient blockingFaults =
        new FaultInjectingHttpClient(Apache5HttpClient.create());
    blockingFaults.inject(
        "UpdateItem", Fault.refuseConnection(), 1, () -> otherWriters(global, viaBlocking));
    global.newClient(EU, blockingFaults).updateItem(increment(viaBlocking));
    global.awaitQuiescence(QUIET);

    String viaAsync = global.createTable("nested", "pk");
    FaultInjectingAsyncHttpClient asyncFaults = new FaultInjectingAsyncHttpClient();
    asyncFaults.inject(
        "UpdateItem", Fault.refuseConnection(), 1, () -> otherWriters(global, viaAsync));
    DynamoDbAsyncClient async = global.newAsyncClient(EU, asyncFaults);
    assertTimeoutPreemptively(
        Duration.ofSeconds(10), () -> async.updateItem(increment(viaAsync)).join());
    global.awaitQuiescence(QUIET);

    for (String table : List.of(viaBlocking, viaAsync)) {
      for (String region : global.regions()) {
        // The other writers' 10 and 100, then the SDK's retry of the refused request.
        assertThat(get(global.client(region), table)).as(region).containsEntry("n", n(111));
      }
    }
    assertThat(global.stats().replicated() - start.replicated()).isEqualTo(6);
    assertThat(global.stats().untracked()).isEqualTo(start.untracked());
  }

  /** Two other writers in the same region, blocking and asynchronous, to the same item. */
  private static void otherWriters(LocalGlobalTable global, String table) {
    global.client(EU).updateItem(increment(table).andThen(by(10)));
    global.asyncClient(EU).updateItem(increment(table).andThen(by(100))).join();
  }

  private static Consumer<UpdateItemRequest.Builder> by(long n) {
    return r -> r.expressionAttributeValues(Map.of(":one", n(n)));
  }

  /**
   * The SDK applies an unconditional increment twice: its first attempt's response is lost, the
   * retry applies again. The first write's stream record is one no writer announced; its stamp must
   * still come before the retry's, or the other regions keep the first write and this one the
   * retry's, and the replicas never converge (they did, before the stream's order was kept).
   */
  @Test
  void sdkRetryOfAnAppliedWrite_twoRecords_replicasConvergeOnTheLast(LocalGlobalTable global) {
    for (int round = 0; round < 5; round++) {
      String table = global.createTable("applied-twice", "pk");
      FaultInjectingHttpClient faults = new FaultInjectingHttpClient(Apache5HttpClient.create());
      faults.inject("UpdateItem", Fault.dropResponse(), 1);
      global.newClient(EU, faults).updateItem(increment(table));
      global.awaitQuiescence(QUIET);

      for (String region : global.regions()) {
        assertThat(get(global.client(region), table)).as(region).containsEntry("n", n(2));
      }
    }
  }

  @Test
  void partiQlWrite_refused_asByTheBlockingClients(LocalGlobalTable global) {
    String table = global.createTable("partiql", "pk");
    String insert = "INSERT INTO \"" + table + "\" VALUE {'pk': 'x'}";

    assertThatThrownBy(() -> global.client(EU).executeStatement(r -> r.statement(insert)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(
            () -> global.asyncClient(EU).executeStatement(r -> r.statement(insert)).join())
        .isInstanceOf(CompletionException.class)
        .hasRootCauseInstanceOf(UnsupportedOperationException.class);
    assertThat(global.scan(EU, table)).isEmpty();
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  /**
   * Holds every request back for a while, then sends it over the testkit's Netty client even if the
   * SDK gave up on it meanwhile: the request was on its way.
   */
  private static final class Slow implements SdkAsyncHttpClient {
    private final SdkAsyncHttpClient netty = NettyClients.builder().build();
    private final Duration delay;
    private final List<CompletableFuture<Void>> sent = new CopyOnWriteArrayList<>();

    Slow(Duration delay) {
      this.delay = delay;
    }

    /** Completes once every request so far has reached DynamoDB and been answered. */
    CompletableFuture<Void> landed() {
      return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
          .exceptionally(t -> null);
    }

    @Override
    public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
      CompletableFuture<Void> result = new CompletableFuture<>();
      CompletableFuture<Void> real = new CompletableFuture<>();
      sent.add(real);
      CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS)
          .execute(
              () ->
                  netty
                      .execute(request)
                      .whenComplete(
                          (v, t) -> {
                            if (t == null) {
                              result.complete(null);
                              real.complete(null);
                            } else {
                              result.completeExceptionally(t);
                              real.completeExceptionally(t);
                            }
                          }));
      return result;
    }

    @Override
    public void close() {
      netty.close();
    }
  }
}
