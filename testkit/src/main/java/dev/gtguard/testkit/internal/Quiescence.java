package dev.gtguard.testkit.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Whether a simulated Global Table has settled: nothing left to read or apply, and every region
 * holding the same items (numbers compared by value, sets regardless of order).
 */
public final class Quiescence {
  private final Map<String, Replica> replicas;
  private final Collection<StreamPoller> pollers;
  private final List<PairReplicator> pairs;
  private final Map<String, TableKeys> tables;

  /** Views of the live collections of a simulated Global Table; read on each call. */
  public Quiescence(
      Map<String, Replica> replicas,
      Collection<StreamPoller> pollers,
      List<PairReplicator> pairs,
      Map<String, TableKeys> tables) {
    this.replicas = replicas;
    this.pollers = pollers;
    this.pairs = pairs;
    this.tables = tables;
  }

  /**
   * Waits until every write made so far has been read from its stream and applied or discarded in
   * every other region, and all regions hold the same items.
   *
   * @throws IllegalStateException if that does not happen within {@code timeout}
   */
  public void await(Duration timeout) {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    int quietRounds = 0;
    while (System.currentTimeMillis() < deadline) {
      quietRounds = idle() ? quietRounds + 1 : 0;
      // Two idle looks 20 ms apart: a change handed from a poller to a pair between two checks
      // shows up in the second.
      if (quietRounds >= 2) {
        if (divergence() == null) {
          return;
        }
        quietRounds = 0;
      }
      sleep(20);
    }
    throw new IllegalStateException(
        "not quiescent after "
            + timeout
            + ": "
            + backlogDescription()
            + (idle() ? "; replicas differ: " + divergence() : ""));
  }

  /** Every item of a table in one region, read strongly consistent, keyed by its key. */
  public Map<Map<String, AttributeValue>, Map<String, AttributeValue>> scan(
      Replica replica, String table) {
    TableKeys keys = tables.get(table);
    if (keys == null) {
      throw new IllegalArgumentException("table " + table + " is not simulated");
    }
    Map<Map<String, AttributeValue>, Map<String, AttributeValue>> items = new HashMap<>();
    replica
        .raw
        .scanPaginator(r -> r.tableName(table).consistentRead(true))
        .items()
        .forEach(item -> items.put(keys.refOf(item).key(), item));
    return items;
  }

  private boolean idle() {
    return pollers.stream().noneMatch(StreamPoller::busy)
        && replicas.values().stream().allMatch(r -> r.backlog() == 0)
        && pairs.stream().allMatch(p -> p.backlog() == 0);
  }

  private String backlogDescription() {
    String streams =
        replicas.values().stream()
            .map(
                r ->
                    r.region
                        + "="
                        + r.backlog()
                        + (r.backlog() > 0 ? " " + r.backlogSample(2) : ""))
            .collect(Collectors.joining(", ", "unread stream records {", "}"));
    String queued =
        pairs.stream()
            .filter(p -> p.backlog() > 0)
            .map(
                p -> p.from() + "->" + p.to() + "=" + p.backlog() + (p.isPaused() ? " (held)" : ""))
            .collect(Collectors.joining(", ", "queued {", "}"));
    return streams + ", " + queued;
  }

  /** Null when every region holds the same items in every table, else the first difference. */
  private String divergence() {
    List<Replica> regions = List.copyOf(replicas.values());
    Replica first = regions.get(0);
    for (String table : tables.keySet()) {
      Map<Map<String, AttributeValue>, Map<String, AttributeValue>> expected = scan(first, table);
      for (Replica other : regions.subList(1, regions.size())) {
        Map<Map<String, AttributeValue>, Map<String, AttributeValue>> actual = scan(other, table);
        Set<Map<String, AttributeValue>> keys = new HashSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (Map<String, AttributeValue> key : keys) {
          Map<String, AttributeValue> a = expected.get(key);
          Map<String, AttributeValue> b = actual.get(key);
          if (a == null || b == null || !Values.sameItem(a, b)) {
            return table
                + " "
                + key
                + ": "
                + first.region
                + " has "
                + a
                + ", "
                + other.region
                + " has "
                + b;
          }
        }
      }
    }
    return null;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for quiescence", e);
    }
  }
}
