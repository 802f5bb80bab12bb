package dev.gtguard.internal.ledger;

import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.ReadConsistency;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.exception.ItemNotFoundException;
import dev.gtguard.exception.VersionConflictException;
import dev.gtguard.internal.ledger.ItemHistory.Judgement;
import dev.gtguard.internal.ledger.ItemHistory.Loss;
import dev.gtguard.internal.write.Waiter;
import dev.gtguard.ledger.Finding;
import dev.gtguard.ledger.RepairMode;
import dev.gtguard.ledger.RepairOutcome;
import dev.gtguard.ledger.WriteLedger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Reconciles one item: queries its ledger entries, reads the item strongly consistent in its home,
 * judges ({@link ItemHistory}), and re-applies what was lost, each repair conditional on the state
 * it was judged against. A judgement is only made on a consistent view: when the item's state is
 * not in the ledger yet, it waits and looks again, then says "undecided"; when a repair meets a
 * newer write, the item is judged again.
 */
public final class ItemReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(ItemReconciler.class);

  /** One reported loss and what was done about it. */
  public record Reported(LostWrite lost, RepairOutcome repair) {}

  /** What one item showed. */
  public record Result(
      int entries,
      int failoverEntries,
      List<Reported> losses,
      List<Finding> findings,
      int repaired,
      int ahead) {}

  private final VersionedTable table;
  private final WriteLedger ledger;
  private final DynamoDbClient ledgerClient;
  private final RepairMode mode;
  private final Duration settle;
  private final int settleRounds;
  private final int rejudgeRounds;
  private final Waiter waiter;

  public ItemReconciler(
      VersionedTable table,
      WriteLedger ledger,
      DynamoDbClient ledgerClient,
      RepairMode mode,
      Duration settle,
      int settleRounds,
      int rejudgeRounds,
      Waiter waiter) {
    this.table = table;
    this.ledger = ledger;
    this.ledgerClient = ledgerClient;
    this.mode = mode;
    this.settle = settle;
    this.settleRounds = settleRounds;
    this.rejudgeRounds = rejudgeRounds;
    this.waiter = waiter;
  }

  /**
   * @throws InterruptedException if interrupted while waiting for the ledger to settle
   */
  public Result reconcile(String itemId) throws InterruptedException {
    Map<String, Reported> reported = new LinkedHashMap<>();
    int settles = 0;
    int rejudges = 0;
    while (true) {
      List<LedgerEntry> entries = entries(itemId);
      if (entries.isEmpty()) {
        return new Result(0, 0, List.of(), List.of(), 0, 0);
      }
      ItemKey key = entries.get(0).key();
      Optional<VersionedItem> current = table.get(key, ReadConsistency.STRONG);
      String parent =
          current
              .map(c -> c.get(table.description().parentTokenAttribute()))
              .map(AttributeValue::s)
              .orElse(null);
      Judgement judgement = ItemHistory.judge(entries, current.orElse(null), parent);
      boolean behind =
          judgement.status() == ItemHistory.Status.LEDGER_BEHIND
              || (judgement.status() == ItemHistory.Status.JUDGED
                  && current.isPresent()
                  && !judgement.currentInLedger());
      if (behind && settles < settleRounds) {
        // A write after the query (look again at once), or a ledger replica behind (then wait).
        if (settles > 0) {
          waiter.await(settle.toMillis());
        }
        settles++;
        continue;
      }
      boolean conflict =
          repair(judgement, key, current.orElse(null), reported, rejudges < rejudgeRounds);
      if (conflict) {
        rejudges++;
        continue;
      }
      int failover = (int) entries.stream().filter(LedgerEntry::failover).count();
      return new Result(
          entries.size(),
          failover,
          List.copyOf(reported.values()),
          findings(judgement, key),
          judgement.repaired(),
          judgement.ahead());
    }
  }

  /**
   * Records each loss with its repair; true when a repair met a newer write and the item should be
   * judged again.
   */
  private boolean repair(
      Judgement judgement,
      ItemKey key,
      VersionedItem current,
      Map<String, Reported> reported,
      boolean mayRejudge) {
    VersionedItem state = current;
    for (Loss loss : judgement.losses()) {
      LostWrite lost = lostWrite(key, loss, state);
      RepairOutcome outcome;
      if (mode == RepairMode.DRY_RUN) {
        outcome = RepairOutcome.DRY_RUN;
      } else if (lost.superseded()) {
        outcome = RepairOutcome.NOTHING_TO_APPLY;
      } else if (state == null) {
        outcome = RepairOutcome.ITEM_DELETED;
      } else if (!judgement.currentInLedger()) {
        outcome = RepairOutcome.WITHHELD;
      } else {
        try {
          state = table.repair(lost);
          outcome = RepairOutcome.APPLIED;
        } catch (VersionConflictException e) {
          if (mayRejudge) {
            return true;
          }
          outcome = RepairOutcome.CONFLICT;
        } catch (ItemNotFoundException e) {
          outcome = RepairOutcome.ITEM_DELETED;
        } catch (RuntimeException e) {
          LOG.warn(
              "repair of lost write {} of {} in table {} failed; the run goes on",
              lost.writeToken(),
              key,
              table.tableName(),
              e);
          outcome = RepairOutcome.FAILED;
        }
      }
      reported.put(lost.writeToken(), new Reported(lost, outcome));
    }
    return false;
  }

  private LostWrite lostWrite(ItemKey key, Loss loss, VersionedItem state) {
    LedgerEntry e = loss.entry();
    return new LostWrite(
        table.tableName(),
        key,
        e.region(),
        e.version(),
        e.token(),
        state == null ? -1 : state.version(),
        state == null ? null : state.writeToken().orElse(null),
        Map.of(),
        loss.remaining(),
        LostWrite.Source.LEDGER);
  }

  private List<Finding> findings(Judgement judgement, ItemKey key) {
    List<Finding> findings = new ArrayList<>();
    String name = table.tableName();
    switch (judgement.status()) {
      case LEDGER_BEHIND ->
          findings.add(
              new Finding(
                  Finding.Kind.UNDECIDED,
                  name,
                  key,
                  "the item's state has no ledger entry after waiting "
                      + settle.multipliedBy(settleRounds)
                      + ": the ledger replica is behind, or a writer without the ledger wrote it"));
      case FOREIGN_CURRENT ->
          findings.add(
              new Finding(
                  Finding.Kind.FOREIGN_BOUNDARY,
                  name,
                  key,
                  "the item's current state was written without the library (no write token)"));
      case JUDGED -> {}
    }
    judgement
        .boundaries()
        .forEach(
            last ->
                findings.add(
                    new Finding(
                        Finding.Kind.FOREIGN_BOUNDARY,
                        name,
                        key,
                        "history broken by a write the ledger did not record, after " + last)));
    judgement
        .untrusted()
        .forEach(
            e ->
                findings.add(
                    new Finding(
                        Finding.Kind.UNVERIFIED_ENTRY,
                        name,
                        key,
                        "ledger entry " + e.sortKey() + " fails its MAC: not trusted")));
    return findings;
  }

  private List<LedgerEntry> entries(String itemId) {
    List<LedgerEntry> entries = new ArrayList<>();
    ledgerClient
        .queryPaginator(
            QueryRequest.builder()
                .tableName(ledger.tableName())
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", ledger.partitionKey()))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(itemId)))
                .consistentRead(true)
                .build())
        .items()
        .forEach(item -> entries.add(LedgerEntries.parse(ledger, item)));
    return entries;
  }
}
