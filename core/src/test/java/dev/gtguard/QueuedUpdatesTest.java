package dev.gtguard;

import static dev.gtguard.Items.count;
import static dev.gtguard.Items.increment;
import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gtguard.exception.WriteInterruptedException;
import dev.gtguard.spi.WriteConflict;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spi.WriteSucceeded;
import dev.gtguard.testkit.Concurrently;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import dev.gtguard.testkit.RequestCounter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@link SameItemUpdates#QUEUED}, the default, on DynamoDB Local: the updates one table's callers
 * make to one item run one after another, each a write of its own on its caller's thread, and never
 * conflict with each other.
 */
@DynamoDbLocalTest
class QueuedUpdatesTest {
  private static final ItemKey KEY = ItemKey.of("pk", "hot");

  private final RequestCounter requests = new RequestCounter();
  private final List<WriteSucceeded> successes = new CopyOnWriteArrayList<>();
  private final AtomicInteger conflicts = new AtomicInteger();
  private DynamoDbClient client;
  private ExecutorService threads;
  private VersionedTable table;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    client = ddb.newClient(Region.EU_WEST_1, requests);
    threads = Executors.newCachedThreadPool();
    table =
        VersionedTable.builder()
            .client(client)
            .tableName(ddb.createTable("queued", "pk"))
            .partitionKey("pk")
            .listener(
                new WriteListener() {
                  @Override
                  public void onWriteSucceeded(WriteSucceeded event) {
                    successes.add(event);
                  }

                  @Override
                  public void onConflict(WriteConflict event) {
                    conflicts.incrementAndGet();
                  }
                })
            .build();
    table.create(item("pk", s("hot"), "count", n(0)));
    requests.reset();
    successes.clear();
  }

  @AfterEach
  void tearDown() {
    threads.shutdownNow();
    client.close();
  }

  @Test
  void isTheDefault() {
    assertThat(table.sameItemUpdates()).isEqualTo(SameItemUpdates.QUEUED);
  }

  @Test
  void sixteenThreads_sameItem_oneWriteEach_onItsOwnThread_noConflict() throws Exception {
    Map<Thread, Thread> foreign = new ConcurrentHashMap<>();
    Concurrently.repeat(
        16,
        25,
        () -> {
          Thread caller = Thread.currentThread();
          UpdateResult result =
              table.update(
                  KEY,
                  current -> {
                    if (Thread.currentThread() != caller) {
                      foreign.put(caller, Thread.currentThread());
                    }
                    return increment().apply(current);
                  });
          assertThat(result.attempts()).isEqualTo(1);
        });

    VersionedItem stored = table.get(KEY, ReadConsistency.STRONG).orElseThrow();
    assertThat(count(stored)).isEqualTo(400);
    assertThat(stored.version()).isEqualTo(401);
    assertThat(conflicts).as("one write per item in flight: callers never conflict").hasValue(0);
    assertThat(requests.count("UpdateItem")).as("one write per update").isEqualTo(400);
    assertThat(requests.count("GetItem")).as("one read per update, and the get").isEqualTo(401);
    assertThat(successes.stream().map(WriteSucceeded::writeToken).distinct()).hasSize(400);
    assertThat(foreign).as("every function ran on its caller's thread").isEmpty();
  }

  @Test
  void aSecondCaller_waitsForTheFirst_withoutReadingOrConflicting() throws Exception {
    Held first = holdFirst();
    AtomicInteger secondCalls = new AtomicInteger();
    Queued<UpdateResult> second =
        queueSecond(
            () ->
                table.update(
                    KEY,
                    current -> {
                      secondCalls.incrementAndGet();
                      return increment().apply(current);
                    }));

    assertThat(secondCalls).as("not applied while the first is in flight").hasValue(0);
    assertThat(requests.count("GetItem")).as("only the first read").isEqualTo(1);
    first.release().countDown();

    assertThat(first.result().get(10, TimeUnit.SECONDS).item().version()).isEqualTo(2);
    assertThat(second.result().get(10, TimeUnit.SECONDS).item().version()).isEqualTo(3);
    assertThat(secondCalls).hasValue(1);
    assertThat(conflicts).hasValue(0);
    assertThat(count(table.get(KEY, ReadConsistency.STRONG).orElseThrow())).isEqualTo(2);
  }

  @Test
  void aQueuedCallerInterrupted_isToldNothingWasWritten_andNothingIs() throws Exception {
    Held first = holdFirst();
    AtomicInteger secondCalls = new AtomicInteger();
    Queued<Boolean> second =
        queueSecond(
            () -> {
              try {
                table.update(
                    KEY,
                    current -> {
                      secondCalls.incrementAndGet();
                      return Changes.builder().set("second", "yes").build();
                    });
                throw new AssertionError("an interrupted queued update returned");
              } catch (WriteInterruptedException e) {
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
                return e.mayHaveBeenApplied();
              }
            });
    second.thread().interrupt();

    assertThat(second.result().get(10, TimeUnit.SECONDS)).as("mayHaveBeenApplied").isFalse();
    first.release().countDown();
    assertThat(first.result().get(10, TimeUnit.SECONDS).item().version()).isEqualTo(2);
    VersionedItem stored = table.get(KEY, ReadConsistency.STRONG).orElseThrow();
    assertThat(stored.version()).isEqualTo(2);
    assertThat(stored.attributes()).doesNotContainKey("second");
    assertThat(secondCalls).hasValue(0);
  }

  @Test
  void anUpdateFunctionThatUpdatesItsOwnTable_getsATypedError_andNothingIsWritten() {
    table.create(item("pk", s("other"), "count", n(0)));
    requests.reset();

    assertThatThrownBy(
            () ->
                table.update(
                    KEY,
                    current -> {
                      table.update(ItemKey.of("pk", "other"), increment());
                      return increment().apply(current);
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("would wait for the one running it");

    assertThat(requests.count("UpdateItem")).isZero();
    assertThat(table.get(KEY, ReadConsistency.STRONG).orElseThrow().version()).isEqualTo(1);
    assertThat(table.get(ItemKey.of("pk", "other"), ReadConsistency.STRONG).orElseThrow().version())
        .isEqualTo(1);
    // The table is not left blocked: the next update of the item runs.
    assertThat(table.update(KEY, increment()).item().version()).isEqualTo(2);
  }

  /** An increment whose function waits for {@code release}: its write is in flight meanwhile. */
  private record Held(Future<UpdateResult> result, CountDownLatch release) {}

  /** An update queued behind the held one, on {@code thread}, parked until its turn. */
  private record Queued<T>(Future<T> result, Thread thread) {}

  private Held holdFirst() throws InterruptedException {
    CountDownLatch inFirst = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<UpdateResult> first =
        threads.submit(
            () ->
                table.update(
                    KEY,
                    current -> {
                      inFirst.countDown();
                      await(release);
                      return increment().apply(current);
                    }));
    assertThat(inFirst.await(10, TimeUnit.SECONDS)).isTrue();
    return new Held(first, release);
  }

  private <T> Queued<T> queueSecond(Callable<T> update) throws InterruptedException {
    AtomicReference<Thread> thread = new AtomicReference<>();
    Future<T> result =
        threads.submit(
            () -> {
              thread.set(Thread.currentThread());
              return update.call();
            });
    waitUntilParked(thread);
    return new Queued<>(result, thread.get());
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Waits until the thread {@code thread} names is parked (queued behind the update in flight). */
  private static void waitUntilParked(AtomicReference<Thread> thread) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.get() == null || thread.get().getState() != Thread.State.WAITING) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the second caller never waited");
      }
      Thread.sleep(5);
    }
  }
}
