package dev.gtguard.internal.ledger;

import com.github.f4b6a3.ulid.Ulid;
import dev.gtguard.Changes;
import dev.gtguard.VersionedItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges one item's ledger entries against the item as it is now. A pure function.
 *
 * <p>Parent tokens link every entry to the state it was built on, so the entries form trees. A
 * tree's root is a create, or a write built on a state the ledger does not hold: an adopted legacy
 * item, a state written without a ledger, one whose entry expired. The surviving history is the
 * path from the item's current state to its root; in that tree, every entry off the path is a lost
 * write, except the entries built on the current state (the ledger replica is ahead of the item's:
 * judged later). A tree the current state is not in is judged by its deletes (a delete ends an
 * incarnation; what a concurrent delete wiped is lost); a tree without a delete ended by something
 * the ledger did not record (a TTL or console delete, a whole-item put without the library, a write
 * without a ledger): a <em>foreign boundary</em>, reported as such, never as the loss of every
 * entry before it, unless the tree ran on after the current history began (a branch that lost).
 */
public final class ItemHistory {
  /** Whether the entries could be judged against the item. */
  public enum Status {
    /** Judged. */
    JUDGED,
    /** The item's state (and its parent) are not in these entries yet: query again, or wait. */
    LEDGER_BEHIND,
    /** The item's state was written without the library (no write token): nothing is judged. */
    FOREIGN_CURRENT
  }

  /** A lost write, and what of it is still worth re-applying. */
  public record Loss(LedgerEntry entry, Changes remaining) {}

  /**
   * What the entries show.
   *
   * @param losses the lost writes, in ledger order
   * @param boundaries when each foreign boundary was last seen (the newest entry before it)
   * @param untrusted entries whose MAC does not verify: left out of the judgement
   * @param repaired lost writes whose repair survives
   * @param ahead entries newer than the item's replica, not judged yet
   * @param currentInLedger whether the item's current state has an entry (if not, its parent stood
   *     in for it, and what it changed is unknown: repairs are withheld)
   */
  public record Judgement(
      Status status,
      List<Loss> losses,
      List<Instant> boundaries,
      List<LedgerEntry> untrusted,
      int repaired,
      int ahead,
      boolean currentInLedger) {

    static Judgement undecided(Status status, List<LedgerEntry> untrusted) {
      return new Judgement(status, List.of(), List.of(), untrusted, 0, 0, false);
    }
  }

  private ItemHistory() {}

  /**
   * @param entries every entry of the item, in any order
   * @param current the item as it is now in its home region, or null if it is absent
   * @param currentParent the parent token the current item carries, or null
   */
  public static Judgement judge(
      List<LedgerEntry> entries, VersionedItem current, String currentParent) {
    List<LedgerEntry> untrusted = new ArrayList<>();
    Map<String, LedgerEntry> byToken = new LinkedHashMap<>();
    entries.stream()
        .sorted(Comparator.comparing(LedgerEntry::sortKey))
        .forEach(
            e -> {
              if (Boolean.FALSE.equals(e.verified())) {
                untrusted.add(e);
              } else {
                byToken.put(e.token(), e);
              }
            });
    if (current != null && current.writeToken().isEmpty()) {
      return Judgement.undecided(Status.FOREIGN_CURRENT, untrusted);
    }
    String head = null;
    boolean currentInLedger = false;
    if (current != null) {
      String token = current.writeToken().get();
      if (byToken.containsKey(token)) {
        head = token;
        currentInLedger = true;
      } else if (currentParent != null && byToken.containsKey(currentParent)) {
        head = currentParent; // the current state built on it; its own entry is not here (yet)
      } else {
        return Judgement.undecided(Status.LEDGER_BEHIND, untrusted);
      }
    }

    Map<String, String> rootOf = new HashMap<>();
    Map<String, List<LedgerEntry>> trees = new LinkedHashMap<>();
    for (LedgerEntry e : byToken.values()) {
      trees.computeIfAbsent(root(e, byToken, rootOf), r -> new ArrayList<>()).add(e);
    }
    Set<String> survivors = new HashSet<>();
    if (head != null) {
      path(head, byToken, survivors);
    }
    Set<String> ahead = currentInLedger ? descendants(head, byToken) : Set.of();
    String headRoot = head == null ? null : rootOf.get(head);
    String headStart = headRoot == null ? null : byToken.get(headRoot).sortKey();
    // The state the surviving history was built on when that state is not in the ledger (a seed or
    // legacy item adopted, a write without a ledger): another tree built on the very same state is
    // a concurrent branch that lost, whatever the order of their entries.
    String headBase = headRoot == null ? null : byToken.get(headRoot).parent();

    Set<String> lost = new HashSet<>();
    List<Instant> boundaries = new ArrayList<>();
    for (Map.Entry<String, List<LedgerEntry>> tree : trees.entrySet()) {
      List<LedgerEntry> members = tree.getValue();
      if (tree.getKey().equals(headRoot)) {
        members.stream()
            .filter(e -> !survivors.contains(e.token()) && !ahead.contains(e.token()))
            .forEach(e -> lost.add(e.token()));
        continue;
      }
      List<LedgerEntry> deletes = members.stream().filter(LedgerEntry::isDelete).toList();
      String last = members.get(members.size() - 1).sortKey();
      if (!deletes.isEmpty()) {
        Set<String> deleted = new HashSet<>();
        deletes.forEach(d -> path(d.token(), byToken, deleted));
        survivors.addAll(deleted);
        members.stream()
            .filter(e -> !deleted.contains(e.token()))
            .forEach(e -> lost.add(e.token()));
      } else if (headBase != null && headBase.equals(byToken.get(tree.getKey()).parent())) {
        members.forEach(e -> lost.add(e.token())); // a sibling of the surviving history's root
      } else if (headStart != null && last.compareTo(headStart) > 0) {
        members.forEach(e -> lost.add(e.token())); // ran on after the surviving history began
      } else {
        boundaries.add(Ulid.isValid(last) ? Ulid.from(last).getInstant() : Instant.EPOCH);
      }
    }

    Set<String> repairedTokens = new HashSet<>();
    survivors.stream()
        .map(byToken::get)
        .filter(e -> e.reapplies() != null)
        .forEach(e -> repairedTokens.add(e.reapplies()));
    List<Loss> losses = new ArrayList<>();
    int repaired = 0;
    for (LedgerEntry e : byToken.values()) {
      if (!lost.contains(e.token())) {
        continue;
      }
      if (repairedTokens.contains(e.token())) {
        repaired++;
      } else {
        losses.add(new Loss(e, remaining(e, survivors, byToken)));
      }
    }
    return new Judgement(
        Status.JUDGED, losses, boundaries, untrusted, repaired, ahead.size(), currentInLedger);
  }

  /**
   * What is left to re-apply of a lost write: its changes, less the attributes a later write on the
   * surviving history set or removed again (re-applying those would undo newer data).
   */
  private static Changes remaining(
      LedgerEntry lost, Set<String> survivors, Map<String, LedgerEntry> byToken) {
    Set<String> rewritten = new HashSet<>();
    for (String token : survivors) {
      LedgerEntry later = byToken.get(token);
      if (later.sortKey().compareTo(lost.sortKey()) > 0) {
        rewritten.addAll(later.set().keySet());
        rewritten.addAll(later.remove());
      }
    }
    Changes.Builder changes = Changes.builder();
    lost.set()
        .forEach(
            (name, value) -> {
              if (!rewritten.contains(name)) {
                changes.set(name, value);
              }
            });
    lost.remove().stream().filter(name -> !rewritten.contains(name)).forEach(changes::remove);
    return changes.build();
  }

  private static String root(
      LedgerEntry e, Map<String, LedgerEntry> byToken, Map<String, String> rootOf) {
    List<String> chain = new ArrayList<>();
    LedgerEntry at = e;
    String root = null;
    while (root == null) {
      String known = rootOf.get(at.token());
      if (known != null) {
        root = known;
      } else {
        chain.add(at.token());
        LedgerEntry parent = at.parent() == null ? null : byToken.get(at.parent());
        if (parent == null || chain.contains(parent.token())) {
          root = at.token();
        } else {
          at = parent;
        }
      }
    }
    for (String token : chain) {
      rootOf.put(token, root);
    }
    return root;
  }

  /** Adds the path from {@code token} to its root. */
  private static void path(String token, Map<String, LedgerEntry> byToken, Set<String> into) {
    LedgerEntry at = byToken.get(token);
    while (at != null && into.add(at.token())) {
      at = at.parent() == null ? null : byToken.get(at.parent());
    }
  }

  /** Every entry built, directly or not, on {@code token}. */
  private static Set<String> descendants(String token, Map<String, LedgerEntry> byToken) {
    Map<String, List<String>> children = new HashMap<>();
    byToken.values().stream()
        .filter(e -> e.parent() != null)
        .forEach(e -> children.computeIfAbsent(e.parent(), p -> new ArrayList<>()).add(e.token()));
    Set<String> found = new HashSet<>();
    List<String> todo = new ArrayList<>(children.getOrDefault(token, List.of()));
    while (!todo.isEmpty()) {
      String next = todo.remove(todo.size() - 1);
      if (found.add(next)) {
        todo.addAll(children.getOrDefault(next, List.of()));
      }
    }
    return found;
  }
}
