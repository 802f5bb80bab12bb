package dev.gtguard.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
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
 */
public final class OriginInterceptor implements ExecutionInterceptor {
  private static final ExecutionAttribute<List<Held>> HELD =
      new ExecutionAttribute<>("gtguard.testkit.held");

  private record Held(ItemRef ref, ReentrantLock lock, Map<String, AttributeValue> before) {}

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

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    TreeMap<ItemRef, Boolean> refs = new TreeMap<>();
    collect(context.request(), refs);
    if (refs.isEmpty()) {
      return;
    }
    List<Held> held = new ArrayList<>();
    try {
      for (ItemRef ref : refs.keySet()) {
        ReentrantLock lock = replica.lock(ref);
        lock.lock();
        try {
          held.add(new Held(ref, lock, replica.read(ref)));
        } catch (RuntimeException e) {
          lock.unlock();
          throw e;
        }
      }
    } catch (RuntimeException e) {
      held.forEach(h -> h.lock().unlock());
      throw e;
    }
    attributes.putAttribute(HELD, held);
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    List<Held> held = attributes.getAttribute(HELD);
    if (held == null) {
      return;
    }
    try {
      for (Held h : held) {
        Map<String, AttributeValue> after = replica.read(h.ref());
        if (!Values.sameItem(after, h.before())) {
          Stamp stamp = replica.stampLocalWrite(h.ref());
          replica.expect(h.ref(), new Replica.Expected(stamp, false, after));
        }
      }
    } finally {
      release(attributes);
    }
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    release(attributes);
  }

  private static void release(ExecutionAttributes attributes) {
    List<Held> held = attributes.getAttribute(HELD);
    if (held != null) {
      attributes.putAttribute(HELD, null);
      held.forEach(h -> h.lock().unlock());
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
