package dev.gtguard.testkit.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One region's replica of the simulated Global Table: its DynamoDB Local, a client that bypasses
 * the simulator, the hidden timestamp of every item, and the stream records it expects.
 *
 * <p>Every write to an item in this region, by a caller or by replication, happens under that
 * item's lock, so the order writes are stamped in is the order they are applied and appear in the
 * stream: that is how a stream record finds the origin time of the write that caused it.
 */
public final class Replica {
  /** A stream record this region will produce, and whether replication caused it. */
  public record Expected(Stamp stamp, boolean replicated, Map<String, AttributeValue> image) {}

  public final String region;
  public final DynamoDbClient raw;
  private volatile long skewMillis;
  private final Map<ItemRef, ItemLock> locks = new ConcurrentHashMap<>();
  private final Map<ItemRef, Stamp> stamps = new ConcurrentHashMap<>();
  private final Map<ItemRef, Deque<Expected>> expected = new ConcurrentHashMap<>();

  public Replica(String region, DynamoDbClient raw) {
    this.region = region;
    this.raw = raw;
  }

  public long now() {
    return System.currentTimeMillis() + skewMillis;
  }

  public void skew(long millis) {
    this.skewMillis = millis;
  }

  public ItemLock lock(ItemRef ref) {
    return locks.computeIfAbsent(ref, k -> new ItemLock());
  }

  public Stamp stamp(ItemRef ref) {
    return stamps.get(ref);
  }

  /**
   * Stamps a local write: the region's clock, but always after the item's current stamp, as the
   * service does so that a write that follows another can never lose to it. Call under the lock.
   */
  public Stamp stampLocalWrite(ItemRef ref) {
    Stamp current = stamps.get(ref);
    long millis = current == null ? now() : Math.max(now(), current.millis() + 1);
    Stamp stamp = new Stamp(millis, region);
    stamps.put(ref, stamp);
    return stamp;
  }

  /** Records the stamp of an applied replicated write. Call under the lock. */
  public void adopt(ItemRef ref, Stamp stamp) {
    stamps.put(ref, stamp);
  }

  public void expect(ItemRef ref, Expected record) {
    Deque<Expected> queue = expected.computeIfAbsent(ref, k -> new ArrayDeque<>());
    synchronized (queue) {
      queue.addLast(record);
    }
  }

  /**
   * Takes the expected record a stream record matches, or null for a write that did not go through
   * the simulator's clients.
   */
  public Expected consume(ItemRef ref, Map<String, AttributeValue> image) {
    Deque<Expected> queue = expected.get(ref);
    if (queue == null) {
      return null;
    }
    synchronized (queue) {
      Expected head = queue.peekFirst();
      if (head != null && Values.sameItem(head.image(), image)) {
        return queue.pollFirst();
      }
      return null;
    }
  }

  /** Stream records expected but not yet read. */
  public int backlog() {
    int n = 0;
    for (Deque<Expected> queue : expected.values()) {
      synchronized (queue) {
        n += queue.size();
      }
    }
    return n;
  }

  /** A few of the expected records not read yet, for diagnostics. */
  public java.util.List<String> backlogSample(int max) {
    java.util.List<String> sample = new java.util.ArrayList<>();
    for (Map.Entry<ItemRef, Deque<Expected>> e : expected.entrySet()) {
      synchronized (e.getValue()) {
        for (Expected x : e.getValue()) {
          if (sample.size() < max) {
            sample.add(e.getKey() + (x.replicated() ? " (replicated) " : " ") + x.image());
          }
        }
      }
    }
    return sample;
  }

  /** The item as stored now, or an empty map. */
  public Map<String, AttributeValue> read(ItemRef ref) {
    Map<String, AttributeValue> item =
        raw.getItem(r -> r.tableName(ref.table()).key(ref.key()).consistentRead(true)).item();
    return item == null || item.isEmpty() ? Map.of() : item;
  }
}
