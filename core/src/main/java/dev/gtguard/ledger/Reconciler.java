package dev.gtguard.ledger;

import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.ReadConsistency;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.internal.LedgerEntries;
import dev.gtguard.internal.Listeners;
import dev.gtguard.spi.WriteListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Finds every lost write in a {@link WriteLedger}: for each item, the surviving history is the
 * chain from its current write token back through the parent tokens; every ledger entry off that
 * chain is an acknowledged write that replication discarded. Run it after replication has settled
 * (the ledger entries of all regions have arrived), from any region.
 *
 * <p>Scans the ledger with parallel segments, reads each item's current state (strongly consistent,
 * in its home region), reports each loss to the listeners (WARN log) and optionally as a JSON line,
 * and can hand it to a repair callback, e.g. {@link #reapply(VersionedTable)}.
 *
 * <pre>{@code
 * Reconciler.Report report = Reconciler.builder()
 *     .ledger(ledger)
 *     .ledgerClient(dynamoDb)
 *     .table(subscribers)
 *     .segments(8)
 *     .build()
 *     .run(Files.newBufferedWriter(Path.of("lost-writes.jsonl")), Reconciler.reapply(subscribers));
 * }</pre>
 *
 * <p>Each {@link LostWrite#changes()} holds what is left to re-apply: the lost write's changes less
 * the attributes that a later write (by ULID time) on the surviving history set or removed again. A
 * loss whose changes were all rewritten is still reported, with no changes.
 *
 * <p>Deletes: an absent item's history ends at its delete entries; a delete followed by a re-create
 * is history too (the create's ULID is later than the delete's). A re-applied loss is a new write:
 * the original entry stays off the chain and is reported again by later runs.
 */
public final class Reconciler {
  /** Progress so far. */
  public record Progress(long itemsChecked, long entriesRead, long lost) {}

  /**
   * What a run found.
   *
   * @param items items with ledger entries
   * @param entries ledger entries read for this table
   * @param failoverEntries of those, writes made locally because the home was unreachable
   * @param lost every lost write, in no particular order
   */
  public record Report(long items, long entries, long failoverEntries, List<LostWrite> lost) {}

  private final WriteLedger ledger;
  private final DynamoDbClient ledgerClient;
  private final VersionedTable table;
  private final int segments;
  private final Consumer<Progress> progress;
  private final long progressEvery;
  private final Listeners listeners;

  private Reconciler(Builder b) {
    this.ledger = b.ledger;
    this.ledgerClient = b.ledgerClient;
    this.table = b.table;
    this.segments = b.segments;
    this.progress = b.progress;
    this.progressEvery = b.progressEvery;
    this.listeners = new Listeners(List.copyOf(b.listeners));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A repair that re-applies each lost write's remaining changes through the normal versioned
   * update; a loss whose changes were all rewritten later needs nothing and is skipped.
   */
  public static Consumer<LostWrite> reapply(VersionedTable table) {
    return lost -> {
      if (!lost.changes().isEmpty()) {
        table.update(lost.key(), current -> lost.changes());
      }
    };
  }

  /** Finds the lost writes, reporting them to the listeners only. */
  public Report run() {
    return run(null, null);
  }

  /**
   * Finds the lost writes.
   *
   * @param jsonLines where to write one JSON object per lost write, or null
   * @param repair called with each lost write after it was reported, or null
   */
  public Report run(Writer jsonLines, Consumer<LostWrite> repair) {
    Map<String, List<Map<String, AttributeValue>>> byItem = scanLedger();
    long entries = byItem.values().stream().mapToLong(List::size).sum();
    long failover =
        byItem.values().stream()
            .flatMap(Collection::stream)
            .filter(e -> Boolean.TRUE.equals(e.get(LedgerEntries.FAILOVER).bool()))
            .count();
    List<LostWrite> lost = new ArrayList<>();
    long checked = 0;
    for (List<Map<String, AttributeValue>> itemEntries : byItem.values()) {
      List<LostWrite> found = reconcile(itemEntries);
      for (LostWrite loss : found) {
        listeners.onLostWrite(loss);
        if (jsonLines != null) {
          writeJson(jsonLines, loss);
        }
      }
      lost.addAll(found);
      checked++;
      if (progress != null && checked % progressEvery == 0) {
        progress.accept(new Progress(checked, entries, lost.size()));
      }
    }
    if (progress != null) {
      progress.accept(new Progress(checked, entries, lost.size()));
    }
    if (repair != null) {
      lost.forEach(repair);
    }
    return new Report(byItem.size(), entries, failover, List.copyOf(lost));
  }

  private Map<String, List<Map<String, AttributeValue>>> scanLedger() {
    Map<String, List<Map<String, AttributeValue>>> byItem = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(segments);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int segment = 0; segment < segments; segment++) {
        int s = segment;
        futures.add(
            pool.submit(
                () ->
                    ledgerClient
                        .scanPaginator(
                            ScanRequest.builder()
                                .tableName(ledger.tableName())
                                .segment(s)
                                .totalSegments(segments)
                                .consistentRead(true)
                                .filterExpression("#t = :t")
                                .expressionAttributeNames(Map.of("#t", LedgerEntries.TABLE))
                                .expressionAttributeValues(
                                    Map.of(":t", AttributeValue.fromS(table.tableName())))
                                .build())
                        .items()
                        .forEach(
                            entry ->
                                byItem
                                    .computeIfAbsent(
                                        entry.get(ledger.partitionKey()).s(),
                                        k ->
                                            java.util.Collections.synchronizedList(
                                                new ArrayList<>()))
                                    .add(entry))));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while scanning the ledger", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return byItem;
  }

  private List<LostWrite> reconcile(List<Map<String, AttributeValue>> entries) {
    ItemKey key = ItemKey.fromMap(entries.get(0).get(LedgerEntries.KEY).m());
    Optional<VersionedItem> current = table.get(key, ReadConsistency.STRONG);
    Map<String, Map<String, AttributeValue>> byToken = new HashMap<>();
    for (Map<String, AttributeValue> e : entries) {
      byToken.put(e.get(LedgerEntries.TOKEN).s(), e);
    }
    Set<String> survivors = new HashSet<>();
    String rootSk = null;
    if (current.isPresent() && current.get().writeToken().isPresent()) {
      rootSk = follow(current.get().writeToken().get(), byToken, survivors);
    }
    for (Map<String, AttributeValue> e : entries) {
      boolean delete = "DELETE".equals(e.get(LedgerEntries.OPERATION).s());
      // An absent item's history ends at its deletes; a delete before the current item was
      // created again is history too.
      if (delete
          && (current.isEmpty()
              || (rootSk != null && e.get(ledger.sortKey()).s().compareTo(rootSk) < 0))) {
        follow(e.get(LedgerEntries.TOKEN).s(), byToken, survivors);
      }
    }
    List<LostWrite> lost = new ArrayList<>();
    for (Map<String, AttributeValue> e : entries) {
      String token = e.get(LedgerEntries.TOKEN).s();
      if (survivors.contains(token)) {
        continue;
      }
      // What is left to re-apply: the lost write's changes, less the attributes a later write on
      // the surviving history set or removed again (re-applying those would undo newer data).
      String sk = e.get(ledger.sortKey()).s();
      Set<String> rewritten = new HashSet<>();
      for (String survivor : survivors) {
        Map<String, AttributeValue> later = byToken.get(survivor);
        if (later.get(ledger.sortKey()).s().compareTo(sk) > 0) {
          rewritten.addAll(later.get(LedgerEntries.SET).m().keySet());
          later.get(LedgerEntries.REMOVE).l().forEach(name -> rewritten.add(name.s()));
        }
      }
      Changes.Builder changes = Changes.builder();
      e.get(LedgerEntries.SET)
          .m()
          .forEach(
              (name, value) -> {
                if (!rewritten.contains(name)) {
                  changes.set(name, value);
                }
              });
      e.get(LedgerEntries.REMOVE).l().stream()
          .map(AttributeValue::s)
          .filter(name -> !rewritten.contains(name))
          .forEach(changes::remove);
      lost.add(
          new LostWrite(
              table.tableName(),
              key,
              e.get(LedgerEntries.REGION).s(),
              Long.parseLong(e.get(LedgerEntries.VERSION).n()),
              token,
              current.map(VersionedItem::version).orElse(-1L),
              current.flatMap(VersionedItem::writeToken).orElse(null),
              Map.of(),
              changes.build(),
              LostWrite.Source.LEDGER));
    }
    return lost;
  }

  /** Marks the chain from {@code token} as surviving; returns the sort key of its oldest entry. */
  private String follow(
      String token, Map<String, Map<String, AttributeValue>> byToken, Set<String> survivors) {
    String rootSk = null;
    Map<String, AttributeValue> entry = byToken.get(token);
    while (entry != null && survivors.add(entry.get(LedgerEntries.TOKEN).s())) {
      rootSk = entry.get(ledger.sortKey()).s();
      AttributeValue parent = entry.get(LedgerEntries.PARENT);
      entry = parent == null ? null : byToken.get(parent.s());
    }
    return rootSk;
  }

  private static void writeJson(Writer out, LostWrite lost) {
    Map<String, AttributeValue> line = new LinkedHashMap<>();
    line.put("table", AttributeValue.fromS(lost.tableName()));
    line.put("key", AttributeValue.fromM(lost.key().asMap()));
    line.put("region", AttributeValue.fromS(lost.region()));
    line.put("version", AttributeValue.fromN(Long.toString(lost.version())));
    line.put("token", AttributeValue.fromS(lost.writeToken()));
    line.put("surviving_version", AttributeValue.fromN(Long.toString(lost.survivingVersion())));
    if (lost.survivingToken() != null) {
      line.put("surviving_token", AttributeValue.fromS(lost.survivingToken()));
    }
    line.put("set", AttributeValue.fromM(lost.changes().set()));
    line.put(
        "remove",
        AttributeValue.fromL(lost.changes().remove().stream().map(AttributeValue::fromS).toList()));
    try {
      out.write(EnhancedDocument.fromAttributeValueMap(line).toJson());
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Builds a {@link Reconciler}; each setter validates its argument at once. */
  public static final class Builder {
    private WriteLedger ledger;
    private DynamoDbClient ledgerClient;
    private VersionedTable table;
    private int segments = 4;
    private Consumer<Progress> progress;
    private long progressEvery = 1000;
    private final List<WriteListener> listeners = new ArrayList<>();

    private Builder() {}

    /** The ledger the table writes to. Required. */
    public Builder ledger(WriteLedger ledger) {
      this.ledger = Objects.requireNonNull(ledger, "ledger");
      return this;
    }

    /** A client to scan the ledger with, in any region. Required. */
    public Builder ledgerClient(DynamoDbClient ledgerClient) {
      this.ledgerClient = Objects.requireNonNull(ledgerClient, "ledgerClient");
      return this;
    }

    /** The table whose writes to check; current items are read through it. Required. */
    public Builder table(VersionedTable table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /**
     * Parallel scan segments. Default 4.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder segments(int segments) {
      if (segments < 1) {
        throw new IllegalArgumentException("segments must be >= 1, was " + segments);
      }
      this.segments = segments;
      return this;
    }

    /** Called every {@code every} items checked and once at the end. */
    public Builder progress(Consumer<Progress> progress, long every) {
      if (every < 1) {
        throw new IllegalArgumentException("every must be >= 1, was " + every);
      }
      this.progress = Objects.requireNonNull(progress, "progress");
      this.progressEvery = every;
      return this;
    }

    /** Adds a listener for lost writes. */
    public Builder listener(WriteListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * @throws IllegalStateException if a required setting is missing
     */
    public Reconciler build() {
      if (ledger == null || ledgerClient == null || table == null) {
        throw new IllegalStateException("ledger, ledgerClient and table are required");
      }
      return new Reconciler(this);
    }
  }
}
