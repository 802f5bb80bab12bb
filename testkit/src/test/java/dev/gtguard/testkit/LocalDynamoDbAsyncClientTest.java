package dev.gtguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The asynchronous clients of a DynamoDB Local: configured as the blocking ones, cheap to close.
 */
@DynamoDbLocalTest
class LocalDynamoDbAsyncClientTest {
  private static final Map<String, AttributeValue> KEY = Map.of("pk", AttributeValue.fromS("a"));

  @Test
  void newAsyncClient_reachesTheServer_runsInterceptors_closesWithoutNettysQuietPeriod(
      LocalDynamoDb ddb) {
    String table = ddb.createTable("async", "pk");
    RequestCounter counter = new RequestCounter();
    DynamoDbAsyncClient async = ddb.newAsyncClient(Region.US_EAST_1, counter);

    async.putItem(r -> r.tableName(table).item(KEY)).join();
    assertThat(async.getItem(r -> r.tableName(table).key(KEY)).join().item()).isEqualTo(KEY);
    assertThat(ddb.client().getItem(r -> r.tableName(table).key(KEY)).item()).isEqualTo(KEY);
    assertThat(counter.snapshot()).containsEntry("PutItem", 1L).containsEntry("GetItem", 1L);
    assertThat(async.serviceClientConfiguration().region()).isEqualTo(Region.US_EAST_1);

    long start = System.nanoTime();
    async.close();
    // A Netty client that owns its event loop group waits out a 2-second quiet period on close.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void newAsyncClient_overAnHttpClient_retriesAsTheBlockingOne_quickly_andClosesIt(
      LocalDynamoDb ddb) {
    String table = ddb.createTable("async", "pk");
    Unreachable http = new Unreachable();
    DynamoDbAsyncClient async = ddb.newAsyncClient(Region.EU_WEST_1, http);

    long start = System.nanoTime();
    assertThatThrownBy(() -> async.getItem(r -> r.tableName(table).key(KEY)).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            SdkClientException.class,
            e -> assertThat(e.numAttempts()).isEqualTo(LocalDynamoDb.DYNAMODB_SDK_ATTEMPTS));
    assertThat(http.calls).hasValue(LocalDynamoDb.DYNAMODB_SDK_ATTEMPTS);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

    async.close();
    assertThat(http.closed).isTrue();
  }

  /** Every request fails with an I/O error, as a retryable network fault. */
  private static final class Unreachable implements SdkAsyncHttpClient {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
      calls.incrementAndGet();
      IOException e = new IOException("unreachable (test)");
      request.responseHandler().onError(e);
      return CompletableFuture.failedFuture(e);
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }
}
