package dev.gtguard.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import software.amazon.awssdk.core.ClientType;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.ExecuteTransactionRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Captures the origin time of every write made through a region's client, the way Global Tables
 * stamp writes with a hidden timestamp: it locks the written items, notes their state before, and
 * after a successful write stamps each item that actually changed and tells the replica to expect
 * its stream record. A write that changed nothing produces no stream record and no stamp.
 *
 * <p>A blocking client's write holds the items' locks on its thread, from {@code beforeExecution}
 * to {@code afterExecution} or {@code onExecutionFailure}. An asynchronous client's write holds
 * them for its execution, whichever threads that runs on; but the SDK calls no interceptor when an
 * asynchronous call ends by its {@code apiCallTimeout}, and only once the attempt in flight ends
 * when the caller cancels it. So an asynchronous client the simulator hands out calls each
 * operation through {@link #releasingWhenDone}, which also releases the locks when the future the
 * operation returned completes, however it does; a write that still lands after that is not stamped
 * (it replicates as an untracked one).
 */
public final class OriginInterceptor implements ExecutionInterceptor {
  private static final ExecutionAttribute<Holds> HELD =
      new ExecutionAttribute<>("gtguard.testkit.held");

  /** The SDK's id of one execution, the same on each of its attempts. */
  private static final String INVOCATION_ID = "amz-sdk-invocation-id";

  /** The owner of the locks of each asynchronous execution that holds some, by invocation id. */
  private static final Map<String, Object> OWNERS = new ConcurrentHashMap<>();

  /** The execution a thread acts for while it runs a fault's {@code meanwhile}, if any. */
  private static final ThreadLocal<Object> ACTING_FOR = new ThreadLocal<>();

  /** The asynchronous executions started by the operation {@link #releasingWhenDone} calls. */
  private static final ThreadLocal<List<Holds>> STARTED = new ThreadLocal<>();

  private record Held(ItemRef ref, ItemLock lock, Object key, Map<String, AttributeValue> before) {}

  /** The locks one execution holds, given back once, by whichever end of it comes first. */
  private static final class Holds {
    final Object owner;
    final List<Held> held;
    final AtomicBoolean finished = new AtomicBoolean();
    volatile String invocationId;

    Holds(Object owner, List<Held> held) {
      this.owner = owner;
      this.held = held;
    }

    /** Whether this call ends the execution's hold (and must unlock); false once ended. */
    boolean finish() {
      return finished.compareAndSet(false, true);
    }

    void unlock() {
      String id = invocationId;
      if (id != null) {
        OWNERS.remove(id, owner);
      }
      held.forEach(h -> h.lock().unlock(h.key()));
    }

    void release() {
      if (finish()) {
        unlock();
      }
    }
  }

  private final Replica replica;
  private final Function<String, TableKeys> tables;

  /**
   * @param tables the key schema of a simulated table by name, or null for a table the simulator
   *     does not replicate
   */
  public OriginInterceptor(Replica replica, Function<String, TableKeys> tables) {
    this.replica = replica;
    this.tables = tables;
  }

  /**
   * Calls an operation of an asynchronous client, and releases the items its execution locked when
   * the future it returns completes (or at once, if it returns no future or throws). Each
   * asynchronous client the simulator hands out calls every operation through this.
   */
  public static Object releasingWhenDone(Callable<Object> operation) throws Exception {
    List<Holds> outer = STARTED.get();
    List<Holds> started = new ArrayList<>();
    STARTED.set(started);
    Object result;
    try {
      result = operation.call();
    } catch (Exception | Error e) {
      started.forEach(Holds::release);
      throw e;
    } finally {
      if (outer == null) {
        STARTED.remove();
      } else {
        STARTED.set(outer);
      }
    }
    if (!started.isEmpty()) {
      if (result instanceof CompletableFuture<?> future) {
        future.whenComplete((r, t) -> started.forEach(Holds::release));
      } else {
        started.forEach(Holds::release);
      }
    }
    return result;
  }

  /**
   * Runs {@code action} on behalf of the asynchronous execution that sent {@code request}, if it
   * holds item locks: a stamped write to one of its items, from any thread, then re-enters them, as
   * a blocking execution's nested write does on its own thread. A fault-injecting HTTP client runs
   * its {@code meanwhile} so, while the execution waits for it.
   */
  public static void runOnBehalfOf(SdkHttpRequest request, Runnable action) {
    Object owner = request.firstMatchingHeader(INVOCATION_ID).map(OWNERS::get).orElse(null);
    if (owner == null) {
      action.run();
      return;
    }
    Object outer = ACTING_FOR.get();
    ACTING_FOR.set(owner);
    try {
      action.run();
    } finally {
      if (outer == null) {
        ACTING_FOR.remove();
      } else {
        ACTING_FOR.set(outer);
      }
    }
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    TreeMap<ItemRef, Boolean> refs = new TreeMap<>();
    collect(context.request(), refs);
    if (refs.isEmpty()) {
      return;
    }
    boolean async = attributes.getAttribute(SdkExecutionAttribute.CLIENT_TYPE) == ClientType.ASYNC;
    Object actingFor = ACTING_FOR.get();
    Object owner = actingFor != null ? actingFor : async ? new Object() : Thread.currentThread();
    List<Held> held = new ArrayList<>();
    try {
      for (ItemRef ref : refs.keySet()) {
        ItemLock lock = replica.lock(ref);
        Object key = lock.lock(owner);
        try {
          held.add(new Held(ref, lock, key, replica.read(ref)));
        } catch (RuntimeException e) {
          lock.unlock(key);
          throw e;
        }
      }
    } catch (RuntimeException e) {
      held.forEach(h -> h.lock().unlock(h.key()));
      throw e;
    }
    Holds holds = new Holds(owner, held);
    attributes.putAttribute(HELD, holds);
    List<Holds> started = async ? STARTED.get() : null;
    if (started != null) {
      started.add(holds);
    }
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    Holds holds = attributes.getAttribute(HELD);
    if (holds == null
        || holds.invocationId != null
        || attributes.getAttribute(SdkExecutionAttribute.CLIENT_TYPE) != ClientType.ASYNC) {
      return;
    }
    context
        .httpRequest()
        .firstMatchingHeader(INVOCATION_ID)
        .ifPresent(
            id -> {
              holds.invocationId = id;
              OWNERS.put(id, holds.owner);
              if (holds.finished.get()) {
                OWNERS.remove(id, holds.owner); // released meanwhile
              }
            });
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    Holds holds = attributes.getAttribute(HELD);
    if (holds == null || !holds.finish()) {
      return;
    }
    try {
      for (Held h : holds.held) {
        Map<String, AttributeValue> after = replica.read(h.ref());
        if (!Values.sameItem(after, h.before())) {
          Stamp stamp = replica.stampLocalWrite(h.ref());
          replica.expect(h.ref(), new Replica.Expected(stamp, false, after));
        }
      }
    } finally {
      holds.unlock();
    }
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    Holds holds = attributes.getAttribute(HELD);
    if (holds != null) {
      holds.release();
    }
  }

  private void collect(SdkRequest request, TreeMap<ItemRef, Boolean> refs) {
    if (request instanceof PutItemRequest r) {
      add(r.tableName(), r.item(), refs);
    } else if (request instanceof UpdateItemRequest r) {
      add(r.tableName(), r.key(), refs);
    } else if (request instanceof DeleteItemRequest r) {
      add(r.tableName(), r.key(), refs);
    } else if (request instanceof TransactWriteItemsRequest r) {
      for (TransactWriteItem item : r.transactItems()) {
        if (item.put() != null) {
          add(item.put().tableName(), item.put().item(), refs);
        } else if (item.update() != null) {
          add(item.update().tableName(), item.update().key(), refs);
        } else if (item.delete() != null) {
          add(item.delete().tableName(), item.delete().key(), refs);
        }
      }
    } else if (request instanceof BatchWriteItemRequest r) {
      r.requestItems()
          .forEach(
              (table, writes) ->
                  writes.forEach(
                      w -> {
                        if (w.putRequest() != null) {
                          add(table, w.putRequest().item(), refs);
                        } else if (w.deleteRequest() != null) {
                          add(table, w.deleteRequest().key(), refs);
                        }
                      }));
    } else if (request instanceof ExecuteStatementRequest r
            && !r.statement().strip().toUpperCase(java.util.Locale.ROOT).startsWith("SELECT")
        || request instanceof BatchExecuteStatementRequest
        || request instanceof ExecuteTransactionRequest) {
      // PartiQL writes would reach the stream untracked and be stamped late; refuse them loudly.
      throw new UnsupportedOperationException(
          "the local Global Table does not track PartiQL writes; use PutItem/UpdateItem/DeleteItem,"
              + " BatchWriteItem or TransactWriteItems");
    }
  }

  private void add(
      String table, Map<String, AttributeValue> itemOrKey, TreeMap<ItemRef, Boolean> refs) {
    TableKeys keys = tables.apply(table);
    if (keys != null) {
      refs.put(keys.refOf(itemOrKey), Boolean.TRUE);
    }
  }
}
