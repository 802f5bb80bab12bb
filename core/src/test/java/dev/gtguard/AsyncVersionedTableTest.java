package dev.gtguard;

import static dev.gtguard.Items.count;
import static dev.gtguard.Items.increment;
import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.ItemAlreadyExistsException;
import dev.gtguard.exception.ItemNotFoundException;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.exception.VersionConflictException;
import dev.gtguard.spi.RetryScheduled;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import dev.gtguard.testkit.RequestCounter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link AsyncVersionedTable} on DynamoDB Local, one region: the blocking table's requests and
 * outcomes, every step on the user's executor, retries scheduled, cancellation.
 */
@DynamoDbLocalTest
class AsyncVersionedTableTest {
  private static final ItemKey KEY = ItemKey.of("pk", "subscriber#1");
  private static final String REGION = "eu-west-1";

  private final RequestCounter blockingCount = new RequestCounter();
  private static final RequestCounter asyncCount = new RequestCounter();
  // One client for the class: closing a Netty client waits out its event loop's quiet period.
  private static DynamoDbAsyncClient asyncClient;
  private final Set<String> functionThreads = ConcurrentHashMap.newKeySet();
  private DynamoDbClient client;
  private ExecutorService user;
  private ScheduledExecutorService scheduler;
  private String tableName;
  private VersionedTable table;

  @BeforeAll
  static void startAsyncClient(LocalDynamoDb ddb) {
    asyncClient =
        DynamoDbAsyncClient.builder()
            .endpointOverride(ddb.endpoint())
            .region(Region.EU_WEST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .overrideConfiguration(o -> o.addExecutionInterceptor(asyncCount))
            .build();
  }

  @AfterAll
  static void closeAsyncClient() {
    asyncClient.close();
  }

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    client = ddb.newClient(Region.EU_WEST_1, blockingCount);
    asyncCount.reset();
    user = Executors.newSingleThreadExecutor(r -> new Thread(r, "gt-user"));
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "gt-scheduler"));
    tableName = ddb.createTable("async", "pk");
    table =
        VersionedTable.builder()
            .client(client)
            .tableName(tableName)
            .partitionKey("pk")
            .retryPolicy(policy())
            .build();
  }

  @AfterEach
  void tearDown() {
    user.shutdownNow();
    scheduler.shutdownNow();
    client.close();
  }

  private static ConflictRetryPolicy policy() {
    return ConflictRetryPolicy.builder()
        .maxAttempts(10_000)
        .baseDelay(Duration.ofMillis(2))
        .maxDelay(Duration.ofMillis(50))
        .build();
  }

  private AsyncVersionedTable writes(java.util.concurrent.Executor executor) {
    return writes(asyncClient, executor, List.of());
  }

  private AsyncVersionedTable writes(
      DynamoDbAsyncClient client,
      java.util.concurrent.Executor executor,
      List<WriteListener> listeners) {
    AsyncVersionedTableBuilder builder =
        AsyncVersionedTable.builder()
            .client(client)
            .tableName(tableName)
            .partitionKey("pk")
            .retryPolicy(policy())
            .scheduler(scheduler)
            .executor(executor);
    listeners.forEach(builder::listener);
    return builder.build();
  }

  private UpdateFunction recordingIncrement() {
    UpdateFunction increment = increment();
    return current -> {
      functionThreads.add(Thread.currentThread().getName());
      return increment.apply(current);
    };
  }

  @Test
  void update_onStaleHeldItem_retriesOnTheUserThread_withTheBlockingTablesRequests()
      throws Exception {
    VersionedItem stale = table.create(item("pk", s("subscriber#1"), "count", n(0)));
    table.update(stale, increment()); // now at version 2: `stale` conflicts once

    blockingCount.reset();
    VersionedItem blockingStale = table.update(KEY, increment()).item(); // version 3
    table.update(KEY, increment()); // version 4: `blockingStale` conflicts once
    blockingCount.reset();
    table.update(blockingStale, increment());
    Map<String, Long> blocking = blockingCount.snapshot();

    VersionedItem asyncStale = table.update(KEY, increment()).item(); // version 6
    table.update(KEY, increment()); // version 7
    UpdateResult written =
        writes(user).update(asyncStale, recordingIncrement()).get(10, TimeUnit.SECONDS);

    assertThat(written.attempts()).isEqualTo(2);
    assertThat(written.item().version()).isEqualTo(8);
    assertThat(count(table.get(KEY, ReadConsistency.STRONG).orElseThrow())).isEqualTo(7);
    assertThat(asyncCount.snapshot()).isEqualTo(blocking).containsEntry("UpdateItem", 2L);
    assertThat(functionThreads).containsExactly("gt-user");
  }

  @Test
  void update_byKey_readsThenWrites_likeTheBlockingTable() throws Exception {
    table.create(item("pk", s("subscriber#1"), "count", n(0)));
    blockingCount.reset();
    table.update(KEY, increment());
    Map<String, Long> blocking = blockingCount.snapshot();

    UpdateResult written = writes(user).update(KEY, recordingIncrement()).get(10, TimeUnit.SECONDS);

    assertThat(written.item().version()).isEqualTo(3);
    assertThat(asyncCount.snapshot()).isEqualTo(blocking);
    assertThat(functionThreads).containsExactly("gt-user");
  }

  @Test
  void update_64ConcurrentFuturesOnOneItem_onTwoThreads_conservesEveryIncrement() throws Exception {
    table.create(item("pk", s("subscriber#1"), "count", n(0)));
    AtomicInteger retries = new AtomicInteger();
    Set<String> listenerThreads = ConcurrentHashMap.newKeySet();
    WriteListener listener =
        new WriteListener() {
          @Override
          public void onRetry(RetryScheduled event) {
            retries.incrementAndGet();
            listenerThreads.add(Thread.currentThread().getName());
          }
        };
    // Concurrent: the futures compete as separate processes would, so that they conflict.
    AsyncVersionedTable writes =
        AsyncVersionedTable.builder()
            .client(asyncClient)
            .tableName(tableName)
            .partitionKey("pk")
            .retryPolicy(policy())
            .scheduler(scheduler)
            .executor(user)
            .sameItemUpdates(SameItemUpdates.CONCURRENT)
            .listener(listener)
            .build();

    List<CompletableFuture<UpdateResult>> futures = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      futures.add(writes.update(KEY, recordingIncrement()));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    VersionedItem last = table.get(KEY, ReadConsistency.STRONG).orElseThrow();
    assertThat(count(last)).isEqualTo(64);
    assertThat(last.version()).isEqualTo(65);
    assertThat(futures.stream().mapToInt(f -> f.join().attempts()).sum())
        .isEqualTo(64 + retries.get())
        .isGreaterThan(64); // they did conflict, and each retry was scheduled, not slept
    assertThat(listenerThreads).containsExactly("gt-user");
    assertThat(functionThreads).containsExactly("gt-user");
  }

  @Test
  void failures_completeWithTheBlockingTablesTypedExceptions_wrappedOnceByJoin() {
    VersionedItem created = table.create(item("pk", s("subscriber#1"), "count", n(0)));
    AsyncVersionedTable writes = writes(user);
    table.update(KEY, increment());

    CompletableFuture<VersionedItem> stale =
        writes.update(KEY, created.expected(), Changes.builder().set("count", n(9)).build());
    assertThatThrownBy(stale::join)
        .isExactlyInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(VersionConflictException.class)
        .cause()
        .isInstanceOf(ConditionalCheckFailedException.class);
    assertThatThrownBy(() -> stale.get(10, TimeUnit.SECONDS))
        .isExactlyInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(VersionConflictException.class);

    assertThatThrownBy(writes.create(item("pk", s("subscriber#1"), "count", n(1)))::join)
        .cause()
        .isInstanceOf(ItemAlreadyExistsException.class);
    assertThatThrownBy(writes.update(ItemKey.of("pk", "nobody"), increment())::join)
        .cause()
        .isInstanceOf(ItemNotFoundException.class);
  }

  @Test
  void cancel_beforeAnythingWasSent_sendsNothing_andIsCancelled() {
    VersionedItem created = table.create(item("pk", s("subscriber#1"), "count", n(0)));
    ConcurrentLinkedQueue<Runnable> steps = new ConcurrentLinkedQueue<>();
    asyncCount.reset();

    CompletableFuture<UpdateResult> future = writes(steps::add).update(created, increment());
    assertThat(future.cancel(false)).isTrue();
    runAll(steps);

    assertThat(future).isCancelled();
    assertThatThrownBy(future::join).isInstanceOf(CancellationException.class);
    assertThat(asyncCount.total()).isZero();
    assertThat(table.get(KEY, ReadConsistency.STRONG).orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void cancel_afterTheAttemptWasSent_reportsOutcomeUnknown_neverNotWritten() throws Exception {
    VersionedItem created = table.create(item("pk", s("subscriber#1"), "count", n(0)));
    ConcurrentLinkedQueue<Runnable> steps = new ConcurrentLinkedQueue<>();

    CompletableFuture<UpdateResult> future = writes(steps::add).update(created, increment());
    runAll(steps); // sends the attempt
    assertThat(future.cancel(false)).isFalse();

    assertThat(future).isCompletedExceptionally().isNotCancelled();
    assertThatThrownBy(future::join)
        .cause()
        .isInstanceOf(OutcomeUnknownException.class)
        .hasCauseInstanceOf(CancellationException.class);
    // The attempt was in flight, and did apply: "unknown" was the truthful answer.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (table.get(KEY, ReadConsistency.STRONG).orElseThrow().version() != 2) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(10);
    }
    long sent = asyncCount.total();
    Thread.sleep(100);
    runAll(steps); // the response arrives after cancellation: dropped, nothing more is sent
    assertThat(asyncCount.total()).isEqualTo(sent);
  }

  @Test
  void timeout_afterTheAttemptWasSent_reportsOutcomeUnknown() throws Exception {
    VersionedItem created = table.create(item("pk", s("subscriber#1"), "count", n(0)));
    ConcurrentLinkedQueue<Runnable> steps = new ConcurrentLinkedQueue<>();

    CompletableFuture<UpdateResult> future = writes(steps::add).update(created, increment());
    runAll(steps); // sends the attempt
    future.orTimeout(1, TimeUnit.MILLISECONDS);

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(OutcomeUnknownException.class)
        .hasCauseInstanceOf(TimeoutException.class);
  }

  /** Fails the first UpdateItem after (or before) it reached DynamoDB, like a lost connection. */
  private static final class DropOnce implements ExecutionInterceptor {
    private final boolean afterApplying;
    private final AtomicInteger dropped = new AtomicInteger();

    DropOnce(boolean afterApplying) {
      this.afterApplying = afterApplying;
    }

    private void maybeDrop(ExecutionAttributes attributes) {
      if ("UpdateItem".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
          && dropped.compareAndSet(0, 1)) {
        throw SdkClientException.create("injected: connection reset");
      }
    }

    @Override
    public void beforeTransmission(
        Context.BeforeTransmission context, ExecutionAttributes attributes) {
      if (!afterApplying) {
        maybeDrop(attributes);
      }
    }

    @Override
    public void afterTransmission(
        Context.AfterTransmission context, ExecutionAttributes attributes) {
      if (afterApplying) {
        maybeDrop(attributes);
      }
    }
  }

  private DynamoDbAsyncClient droppingClient(LocalDynamoDb ddb, DropOnce drop) {
    return DynamoDbAsyncClient.builder()
        .endpointOverride(ddb.endpoint())
        .region(Region.EU_WEST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .overrideConfiguration(
            o ->
                o.addExecutionInterceptor(asyncCount)
                    .addExecutionInterceptor(drop)
                    .retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  @Test
  void update_whoseResponseWasLost_isResolvedByReadingTheItem_notRetried(LocalDynamoDb ddb)
      throws Exception {
    VersionedItem created = table.create(item("pk", s("subscriber#1"), "count", n(0)));
    try (DynamoDbAsyncClient dropping = droppingClient(ddb, new DropOnce(true))) {
      AsyncVersionedTable writes = writes(dropping, user, List.of());

      UpdateResult written = writes.update(created, recordingIncrement()).get(10, TimeUnit.SECONDS);

      assertThat(written.attempts()).isEqualTo(1);
      assertThat(written.item().version()).isEqualTo(2);
      assertThat(asyncCount.snapshot())
          .containsEntry("UpdateItem", 1L)
          .containsEntry("GetItem", 1L);
      assertThat(count(table.get(KEY, ReadConsistency.STRONG).orElseThrow())).isEqualTo(1);
      assertThat(functionThreads).containsExactly("gt-user");
    }
  }

  @Test
  void update_whoseRequestWasLost_isSentAgainOnTheSameBase(LocalDynamoDb ddb) throws Exception {
    VersionedItem created = table.create(item("pk", s("subscriber#1"), "count", n(0)));
    try (DynamoDbAsyncClient dropping = droppingClient(ddb, new DropOnce(false))) {
      AsyncVersionedTable writes = writes(dropping, user, List.of());

      UpdateResult written = writes.update(created, recordingIncrement()).get(10, TimeUnit.SECONDS);

      assertThat(written.attempts()).isEqualTo(2);
      assertThat(written.item().version()).isEqualTo(2);
      assertThat(asyncCount.snapshot())
          .containsEntry("UpdateItem", 2L)
          .containsEntry("GetItem", 1L);
      assertThat(count(table.get(KEY, ReadConsistency.STRONG).orElseThrow())).isEqualTo(1);
    }
  }

  @Test
  void singleShot_delete_get_andRepairLikeTheBlockingTable() throws Exception {
    AsyncVersionedTable writes = writes(user);
    VersionedItem created =
        writes.create(item("pk", s("subscriber#1"), "count", n(0))).get(10, TimeUnit.SECONDS);
    VersionedItem updated =
        writes
            .update(KEY, created.expected(), Changes.builder().set("count", n(5)).build())
            .get(10, TimeUnit.SECONDS);
    assertThat(updated.version()).isEqualTo(2);
    assertThat(writes.get(KEY, ReadConsistency.STRONG).get(10, TimeUnit.SECONDS))
        .hasValueSatisfying(item -> assertThat(count(item)).isEqualTo(5));

    assertThatThrownBy(writes.delete(KEY, created.expected())::join)
        .cause()
        .isInstanceOf(VersionConflictException.class);
    assertThat(writes.delete(KEY, updated.expected()).get(10, TimeUnit.SECONDS)).isNull();
    assertThat(writes.get(KEY).get(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(table.get(KEY, ReadConsistency.STRONG)).isEmpty();
    assertThatThrownBy(writes.delete(KEY, updated.expected())::join)
        .cause()
        .isInstanceOf(ItemNotFoundException.class);
  }

  @Test
  void badInput_completesExceptionally_withoutThrowing_andSendsNothing() {
    AsyncVersionedTable writes = writes(user);
    asyncCount.reset();

    CompletableFuture<VersionedItem> noKey = writes.create(item("count", n(1)));
    CompletableFuture<UpdateResult> wrongKey =
        writes.update(ItemKey.of("id", "subscriber#1"), increment());
    CompletableFuture<UpdateResult> nullFunction = writes.update(KEY, null);

    assertThatThrownBy(noKey::join).cause().isInstanceOf(InvalidItemException.class);
    assertThatThrownBy(wrongKey::join).cause().isInstanceOf(InvalidItemException.class);
    assertThatThrownBy(nullFunction::join).cause().isInstanceOf(NullPointerException.class);
    assertThat(asyncCount.total()).isZero();
    assertThat(table.get(KEY, ReadConsistency.STRONG)).isEmpty();
  }

  @Test
  void anUpdateFunctionThatThrows_completesTheFutureWithItsException_andWritesNothing()
      throws Exception {
    VersionedItem created = table.create(item("pk", s("subscriber#1"), "count", n(0)));
    IllegalStateException refused = new IllegalStateException("no");

    CompletableFuture<UpdateResult> future =
        writes(user)
            .update(
                KEY,
                current -> {
                  throw refused;
                });

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).cause().isSameAs(refused);
    assertThat(table.get(KEY, ReadConsistency.STRONG).orElseThrow().expected())
        .isEqualTo(created.expected());
  }

  @Test
  void builder_refusesRegionsWithoutAnAsynchronousClient() {
    assertThatThrownBy(
            () ->
                AsyncVersionedTable.builder()
                    .clients(RegionClients.single(client))
                    .tableName(tableName)
                    .partitionKey("pk")
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("DynamoDbAsyncClient");
    assertThatThrownBy(
            () ->
                VersionedTable.builder()
                    .clients(RegionClients.single(asyncClient))
                    .tableName(tableName)
                    .partitionKey("pk")
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("DynamoDbClient");
  }

  private static void runAll(ConcurrentLinkedQueue<Runnable> steps) {
    Runnable step;
    while ((step = steps.poll()) != null) {
      step.run();
    }
  }
}
