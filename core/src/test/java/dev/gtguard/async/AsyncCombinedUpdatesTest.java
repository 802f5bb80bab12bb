package dev.gtguard.async;

import static dev.gtguard.Items.count;
import static dev.gtguard.Items.increment;
import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.AsyncVersionedTable;
import dev.gtguard.Changes;
import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.ItemKey;
import dev.gtguard.ReadConsistency;
import dev.gtguard.SameItemUpdates;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedItem;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import dev.gtguard.testkit.RequestCounter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * {@code sameItemUpdates(SameItemUpdates.COMBINED)} on {@link AsyncVersionedTable}: the completion
 * of one batch starts the next on the executor; a queued caller's future can be cancelled (or time
 * out) and is then never written.
 */
@DynamoDbLocalTest
class AsyncCombinedUpdatesTest {
  private static final ItemKey KEY = ItemKey.of("pk", "hot");

  private final RequestCounter requests = new RequestCounter();
  private DynamoDbAsyncClient client;
  private ExecutorService user;
  private ScheduledExecutorService scheduler;
  private AsyncVersionedTable table;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) throws Exception {
    client = ddb.newAsyncClient(Region.EU_WEST_1, requests);
    user = Executors.newFixedThreadPool(2);
    scheduler = Executors.newSingleThreadScheduledExecutor();
    table =
        AsyncVersionedTable.builder()
            .client(client)
            .tableName(ddb.createTable("async-combined", "pk"))
            .partitionKey("pk")
            .sameItemUpdates(SameItemUpdates.COMBINED)
            .executor(user)
            .scheduler(scheduler)
            .retryPolicy(
                ConflictRetryPolicy.builder()
                    .maxAttempts(1000)
                    .baseDelay(Duration.ofMillis(2))
                    .maxDelay(Duration.ofMillis(50))
                    .build())
            .build();
    table.create(item("pk", s("hot"), "count", n(0))).get(10, TimeUnit.SECONDS);
    requests.reset();
  }

  @AfterEach
  void tearDown() {
    client.close();
    user.shutdownNow();
    scheduler.shutdownNow();
  }

  @Test
  void twoHundredFutures_twoThreads_everyIncrementOnce_fewWrites() throws Exception {
    List<CompletableFuture<UpdateResult>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      futures.add(table.update(KEY, increment()));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    VersionedItem stored = table.get(KEY, ReadConsistency.STRONG).get(10, TimeUnit.SECONDS).get();
    assertThat(count(stored)).isEqualTo(200);
    assertThat(requests.count("UpdateItem")).as("writes sent").isLessThan(200);
    assertThat(stored.version() - 1).isEqualTo(requests.count("UpdateItem"));
    assertThat(futures.stream().map(f -> f.join().item().version()).distinct().count())
        .as("one version per write, shared by the callers it carried")
        .isEqualTo(requests.count("UpdateItem"));
  }

  @Test
  void queuedCaller_cancelled_or_timedOut_neverWritten() throws Exception {
    AtomicInteger evaluated = new AtomicInteger();
    Held first = hold();
    CompletableFuture<UpdateResult> cancelled =
        table.update(
            KEY,
            item -> {
              evaluated.incrementAndGet();
              return Changes.builder().set("cancelled", "yes").build();
            });
    CompletableFuture<UpdateResult> timedOut =
        table
            .update(
                KEY,
                item -> {
                  evaluated.incrementAndGet();
                  return Changes.builder().set("timedOut", "yes").build();
                })
            .orTimeout(1, TimeUnit.MILLISECONDS);
    CompletableFuture<UpdateResult> kept = table.update(KEY, increment());

    assertThat(cancelled.cancel(false)).isTrue();
    assertThatThrownBy(() -> timedOut.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class);
    first.release();

    first.result().get(10, TimeUnit.SECONDS);
    assertThat(kept.get(10, TimeUnit.SECONDS).item().version()).isEqualTo(3);
    assertThatThrownBy(() -> cancelled.get()).isInstanceOf(CancellationException.class);
    assertThat(evaluated).as("neither function ran").hasValue(0);
    VersionedItem stored = table.get(KEY, ReadConsistency.STRONG).get(10, TimeUnit.SECONDS).get();
    assertThat(stored.get("cancelled")).isNull();
    assertThat(stored.get("timedOut")).isNull();
    assertThat(count(stored)).isEqualTo(1);
    assertThat(requests.count("UpdateItem")).isEqualTo(2);
  }

  @Test
  void carriedCaller_cancelled_outcomeUnknown_andItWasWritten() throws Exception {
    Held first = hold();
    CompletableFuture<UpdateResult> carried =
        table.update(KEY, item -> Changes.builder().set("carried", "yes").build());
    CountDownLatch evaluating = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    CompletableFuture<UpdateResult> last =
        table.update(
            KEY,
            item -> {
              evaluating.countDown(); // the one before it is in the attempt by now
              awaitQuietly(resume);
              return Changes.builder().set("last", "yes").build();
            });
    first.release();
    first.result().get(10, TimeUnit.SECONDS);
    assertThat(evaluating.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(carried.cancel(false)).as("too late to cancel").isFalse();
    resume.countDown();

    assertThatThrownBy(() -> carried.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            OutcomeUnknownException.class, e -> assertThat(e.writeTokens()).hasSize(1));
    VersionedItem stored = last.get(10, TimeUnit.SECONDS).item();
    assertThat(stored.get("carried").s())
        .as("it was written: 'cancelled' would have been a lie")
        .isEqualTo("yes");
    assertThat(stored.writeToken().orElseThrow())
        .isEqualTo(
            ((OutcomeUnknownException) carried.handle((r, e) -> e).join()).writeTokens().get(0));
  }

  @Test
  void throwingFunction_failsOnlyItsOwnFuture() throws Exception {
    Held first = hold();
    CompletableFuture<UpdateResult> before = table.update(KEY, increment());
    CompletableFuture<UpdateResult> throwing =
        table.update(
            KEY,
            item -> {
              throw new IllegalArgumentException("its own");
            });
    CompletableFuture<UpdateResult> after = table.update(KEY, increment());
    first.release();

    first.result().get(10, TimeUnit.SECONDS);
    assertThat(before.get(10, TimeUnit.SECONDS).item())
        .isEqualTo(after.get(10, TimeUnit.SECONDS).item());
    assertThatThrownBy(() -> throwing.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalArgumentException.class);
    assertThat(count(before.join().item())).isEqualTo(2);
    assertThat(requests.count("UpdateItem")).isEqualTo(2);
  }

  /** A first update whose function waits, holding its batch open, until {@link #release}. */
  private record Held(CountDownLatch latch, CompletableFuture<UpdateResult> result) {
    void release() {
      latch.countDown();
    }
  }

  /** Starts it; returns once its function runs, so that every update started meanwhile queues. */
  private Held hold() throws InterruptedException {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<UpdateResult> first =
        table.update(
            KEY,
            item -> {
              holding.countDown();
              awaitQuietly(release);
              return Changes.builder().set("first", "yes").build();
            });
    assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
    return new Held(release, first);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
