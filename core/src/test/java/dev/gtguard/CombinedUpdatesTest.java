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
import dev.gtguard.exception.WriteInterruptedException;
import dev.gtguard.spi.WriteConflict;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spi.WriteSucceeded;
import dev.gtguard.testkit.Concurrently;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import dev.gtguard.testkit.RequestCounter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code sameItemUpdates(SameItemUpdates.COMBINED)} on DynamoDB Local: callers of one process that
 * update one item while a write to it is under way share the next write, and each is answered on
 * its own. Batches are made deterministic by holding the first caller's function until the others
 * wait in the queue.
 */
@DynamoDbLocalTest
class CombinedUpdatesTest {
  private static final ItemKey KEY = ItemKey.of("pk", "hot");

  private final RequestCounter requests = new RequestCounter();
  private final List<WriteSucceeded> successes = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicInteger conflicts = new AtomicInteger();
  private final List<LostWrite> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
  private DynamoDbClient client;
  private ExecutorService threads;
  private String tableName;
  private VersionedTable table;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    client = ddb.newClient(Region.EU_WEST_1, requests);
    threads = Executors.newCachedThreadPool();
    tableName = ddb.createTable("combined", "pk");
    table =
        VersionedTable.builder()
            .client(client)
            .tableName(tableName)
            .partitionKey("pk")
            .sameItemUpdates(SameItemUpdates.COMBINED)
            .retryPolicy(
                ConflictRetryPolicy.builder()
                    .maxAttempts(1000)
                    .baseDelay(Duration.ofMillis(2))
                    .maxDelay(Duration.ofMillis(50))
                    .build())
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

                  @Override
                  public void onLostWrite(LostWrite lost) {
                    heard.add(lost);
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
  void sixteenThreads_sameItem_everyIncrementOnce_noConflict_fewerWritesThanUpdates()
      throws Exception {
    Concurrently.repeat(16, 25, () -> table.update(KEY, increment()));

    assertThat(count(table.get(KEY, ReadConsistency.STRONG).orElseThrow())).isEqualTo(400);
    assertThat(conflicts).as("one write per item in flight: callers never conflict").hasValue(0);
    assertThat(successes).as("one WriteSucceeded per caller").hasSize(400);
    assertThat(requests.count("UpdateItem"))
        .as("writes sent")
        .isLessThan(400)
        .isEqualTo(successes.stream().map(WriteSucceeded::writeToken).distinct().count());
  }

  @Test
  void batch_eachCallerAnsweredOnItsOwn() throws Exception {
    Held first = hold(table, Changes.builder().set("first", "yes").build());
    List<Callable<UpdateResult>> second = new ArrayList<>();
    second.add(() -> table.update(KEY, item -> Changes.builder().set("a", "1").build()));
    second.add(
        () ->
            table.update(
                KEY,
                item -> {
                  throw new IllegalStateException("caller 2's own failure");
                }));
    second.add(() -> table.update(KEY, item -> Changes.none()));
    second.add(
        () ->
            table.update(
                KEY,
                item ->
                    Changes.builder()
                        .set("d", AttributeValue.fromS(item.get("a").s() + "+d"))
                        .build()));
    second.add(
        () ->
            table.update(
                KEY,
                item ->
                    Changes.builder()
                        .set("e", "conditional")
                        .condition(
                            "attribute_not_exists(e)", Map.of(), Map.<String, AttributeValue>of())
                        .build()));
    List<Future<UpdateResult>> results = submitInOrder(second);
    first.release();

    VersionedItem firstStored = first.result().get(10, TimeUnit.SECONDS).item();
    UpdateResult a = results.get(0).get(10, TimeUnit.SECONDS);
    UpdateResult none = results.get(2).get(10, TimeUnit.SECONDS);
    UpdateResult d = results.get(3).get(10, TimeUnit.SECONDS);
    UpdateResult e = results.get(4).get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> results.get(1).get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("caller 2's own failure");

    assertThat(firstStored.version()).isEqualTo(2);
    assertThat(a.item()).as("a and d shared one write").isEqualTo(d.item());
    assertThat(a.item().version()).isEqualTo(3);
    assertThat(d.item().get("d").s()).as("d saw a's change").isEqualTo("1+d");
    assertThat(a.attempts()).isEqualTo(1);
    assertThat(none.unchanged()).isTrue();
    assertThat(none.item().version()).isEqualTo(3);
    assertThat(e.item().version()).as("the conditional update was written alone").isEqualTo(4);
    VersionedItem stored = table.get(KEY, ReadConsistency.STRONG).orElseThrow();
    assertThat(stored.get("first").s()).isEqualTo("yes");
    assertThat(stored.get("a").s()).isEqualTo("1");
    assertThat(stored.get("e").s()).isEqualTo("conditional");
    assertThat(requests.count("UpdateItem")).as("first, a+d, e").isEqualTo(3);
    assertThat(successes).as("first, a, d, e").hasSize(4);
    assertThat(conflicts).hasValue(0);
  }

  @Test
  void conditionFalse_onlyThatCallerFails() throws Exception {
    table.update(KEY, item -> Changes.builder().set("status", "closed").build());
    Held first = hold(table, Changes.builder().set("first", "yes").build());
    List<Future<UpdateResult>> results =
        submitInOrder(
            List.of(
                () -> table.update(KEY, increment()),
                () ->
                    table.update(
                        KEY,
                        item ->
                            Changes.builder()
                                .set("reopened", "yes")
                                .condition(
                                    "#s = :open",
                                    Map.of("#s", "status"),
                                    Map.of(":open", s("open")))
                                .build()),
                () -> table.update(KEY, increment())));
    first.release();

    first.result().get(10, TimeUnit.SECONDS);
    assertThat(results.get(0).get(10, TimeUnit.SECONDS).item().version()).isEqualTo(4);
    assertThat(results.get(2).get(10, TimeUnit.SECONDS).item().version()).isEqualTo(4);
    assertThatThrownBy(() -> results.get(1).get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ConditionNotMetException.class);
    VersionedItem stored = table.get(KEY, ReadConsistency.STRONG).orElseThrow();
    assertThat(count(stored)).isEqualTo(2);
    assertThat(stored.get("reopened")).isNull();
    assertThat(stored.version()).isEqualTo(4);
  }

  @Test
  void queuedCallerInterrupted_notWritten_flagRestored() throws Exception {
    Held first = hold(table, Changes.builder().set("first", "yes").build());
    AtomicInteger evaluated = new AtomicInteger();
    List<Object> outcome = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread queued =
        new Thread(
            () -> {
              try {
                table.update(
                    KEY,
                    item -> {
                      evaluated.incrementAndGet();
                      return Changes.builder().set("queued", "yes").build();
                    });
                outcome.add("returned");
              } catch (WriteInterruptedException e) {
                outcome.add(e);
                outcome.add(Thread.currentThread().isInterrupted());
              }
            });
    queued.start();
    awaitWaiting(List.of(queued));
    Future<UpdateResult> after = threads.submit(() -> table.update(KEY, increment()));
    queued.interrupt();
    queued.join(10_000);
    first.release();

    first.result().get(10, TimeUnit.SECONDS);
    assertThat(after.get(10, TimeUnit.SECONDS).item().version()).isEqualTo(3);
    assertThat(outcome).hasSize(2);
    assertThat(((WriteInterruptedException) outcome.get(0)).mayHaveBeenApplied()).isFalse();
    assertThat(outcome.get(1)).as("interrupt flag restored").isEqualTo(true);
    assertThat(evaluated).as("its function never ran").hasValue(0);
    VersionedItem stored = table.get(KEY, ReadConsistency.STRONG).orElseThrow();
    assertThat(stored.get("queued")).isNull();
    assertThat(count(stored)).isEqualTo(1);
  }

  @Test
  void heldStatesOverwrittenByReplication_eachCallerToldOfTheLoss_listenersOnce() throws Exception {
    VersionedItem held = writtenThenOverwrittenByReplication();

    Held first = hold(table, Changes.none());
    List<Future<UpdateResult>> results =
        submitInOrder(
            List.of(
                () -> table.update(held, item -> Changes.builder().set("b", "1").build()),
                () -> table.update(held, item -> Changes.builder().set("c", "1").build())));
    first.release();

    first.result().get(10, TimeUnit.SECONDS);
    UpdateResult b = results.get(0).get(10, TimeUnit.SECONDS);
    UpdateResult c = results.get(1).get(10, TimeUnit.SECONDS);
    assertThat(b.item()).as("one write carried both").isEqualTo(c.item());
    assertThat(b.lostWrites())
        .singleElement()
        .satisfies(
            lost -> {
              assertThat(lost.writeToken()).isEqualTo(held.writeToken().orElseThrow());
              assertThat(lost.changes().set()).containsOnlyKeys("address");
            });
    assertThat(c.lostWrites()).isEqualTo(b.lostWrites());
    assertThat(heard).as("the listeners hear the loss once").isEqualTo(b.lostWrites());
  }

  @Test
  void carriedCallerInterrupted_mayHaveBeenApplied_andItWas() throws Exception {
    Held first = hold(table, Changes.builder().set("first", "yes").build());
    CountDownLatch evaluating = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    List<Object> outcome = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.FutureTask<UpdateResult> driver =
        new java.util.concurrent.FutureTask<>(() -> table.update(KEY, increment()));
    Thread driving = new Thread(driver);
    driving.start();
    awaitWaiting(List.of(driving));
    Thread carried =
        new Thread(
            () -> {
              try {
                table.update(KEY, item -> Changes.builder().set("carried", "yes").build());
                outcome.add("returned");
              } catch (WriteInterruptedException e) {
                outcome.add(e);
              }
            });
    carried.start();
    awaitWaiting(List.of(driving, carried));
    java.util.concurrent.FutureTask<UpdateResult> last =
        new java.util.concurrent.FutureTask<>(
            () ->
                table.update(
                    KEY,
                    item -> {
                      evaluating.countDown(); // the one before it is in the attempt by now
                      await(resume);
                      return Changes.builder().set("last", "yes").build();
                    }));
    Thread lastThread = new Thread(last);
    lastThread.start();
    awaitWaiting(List.of(driving, carried, lastThread));
    first.release();
    first.result().get(10, TimeUnit.SECONDS);
    assertThat(evaluating.await(10, TimeUnit.SECONDS)).isTrue();
    carried.interrupt();
    carried.join(10_000);
    resume.countDown();

    assertThat(driver.get(10, TimeUnit.SECONDS).item()).isEqualTo(last.get().item());
    assertThat(outcome).hasSize(1);
    assertThat(((WriteInterruptedException) outcome.get(0)).mayHaveBeenApplied())
        .as("its changes were in the attempt being sent")
        .isTrue();
    assertThat(table.get(KEY, ReadConsistency.STRONG).orElseThrow().get("carried").s())
        .as("and they were written: 'not written' would have been a lie")
        .isEqualTo("yes");
  }

  @Test
  void aloneFromAHeldItemOverwrittenByReplication_toldOfTheLoss_once() {
    VersionedItem held = writtenThenOverwrittenByReplication();

    UpdateResult result = table.update(held, item -> Changes.builder().set("b", "1").build());

    assertThat(result.lostWrites())
        .singleElement()
        .satisfies(lost -> assertThat(lost.writeToken()).isEqualTo(held.writeToken().get()));
    assertThat(heard).isEqualTo(result.lostWrites());
    assertThat(result.attempts()).as("refused once, on the held item").isEqualTo(2);
  }

  @Test
  void aloneFromAHeldItem_oneUpdateItem_noRead() {
    VersionedItem held = table.update(KEY, increment()).item();
    requests.reset();

    UpdateResult result = table.update(held, increment());

    assertThat(result.item().version()).isEqualTo(3);
    assertThat(requests.snapshot()).isEqualTo(Map.of("UpdateItem", 1L));
  }

  @Test
  void badInput_typedError_nothingSent() {
    requests.reset();
    assertThatThrownBy(() -> table.update(ItemKey.of("wrong", "x"), increment()))
        .isInstanceOf(InvalidItemException.class);
    assertThatThrownBy(() -> table.update(KEY, (UpdateFunction) null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(
            () -> table.update(KEY, item -> Changes.builder().set("pk", "another key").build()))
        .isInstanceOf(InvalidItemException.class);
    assertThat(requests.count("UpdateItem")).isZero();
    assertThat(table.get(KEY, ReadConsistency.STRONG).orElseThrow().version()).isEqualTo(1);
  }

  /**
   * A state this table wrote, then replaced in its region by another region's state at the same
   * version, as replication does when that one wins.
   */
  private VersionedItem writtenThenOverwrittenByReplication() {
    VersionedItem held =
        table.update(KEY, item -> Changes.builder().set("address", "221B").build()).item();
    Map<String, AttributeValue> winner = new java.util.HashMap<>(held.attributes());
    winner.remove("address");
    winner.put("write_token", s("the-other-regions-token"));
    client.putItem(r -> r.tableName(tableName).item(winner));
    return held;
  }

  /** A first caller whose function waits, holding its batch open, until {@link #release}. */
  private record Held(CountDownLatch latch, Future<UpdateResult> result) {
    void release() {
      latch.countDown();
    }
  }

  /**
   * Starts an update of {@code on} whose function waits until released and then returns {@code
   * changes}; returns once the function runs, so that every update started meanwhile queues.
   */
  private Held hold(VersionedTable on, Changes changes) throws InterruptedException {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<UpdateResult> first =
        threads.submit(
            () ->
                on.update(
                    KEY,
                    item -> {
                      holding.countDown();
                      await(release);
                      return changes;
                    }));
    holding.await();
    return new Held(release, first);
  }

  /** Submits each call once the previous one waits in the queue, so that their order is fixed. */
  private List<Future<UpdateResult>> submitInOrder(List<Callable<UpdateResult>> calls)
      throws InterruptedException {
    List<Future<UpdateResult>> futures = new ArrayList<>();
    List<Thread> started = new ArrayList<>();
    for (Callable<UpdateResult> call : calls) {
      java.util.concurrent.FutureTask<UpdateResult> task =
          new java.util.concurrent.FutureTask<>(call);
      Thread thread = new Thread(task);
      thread.start();
      started.add(thread);
      awaitWaiting(started);
      futures.add(task);
    }
    return futures;
  }

  /** Until every thread waits (in its lane's queue). */
  private static void awaitWaiting(List<Thread> waiting) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!waiting.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("callers did not queue: " + waiting);
      }
      Thread.sleep(1);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("not released");
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
