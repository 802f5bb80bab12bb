package dev.gtguard.internal.write;

import dev.gtguard.Changes;
import dev.gtguard.ExpectedVersion;
import dev.gtguard.ItemKey;
import dev.gtguard.UpdateFunction;
import dev.gtguard.VersionedItem;
import dev.gtguard.internal.InputRules;
import dev.gtguard.spi.WriteOperation;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The four kinds of versioned write, as {@link WritePlan}s. */
public final class Plans {
  private Plans() {}

  /** A create: one put of the new item; a taken key ends it. */
  public static WritePlan create(InputRules rules, ItemKey key, Map<String, AttributeValue> item) {
    return new Plan(WriteOperation.CREATE, key, Base.ABSENT, null, false) {
      @Override
      public VersionedWrite next(Base base, Route route, String token) {
        return VersionedWrite.create(rules.table(), key, item, token);
      }
    };
  }

  /**
   * Read-modify-retry: {@code function} is applied to the base, and again to the item DynamoDB
   * returns with each refusal.
   *
   * @param router checks a new home the changes name; {@code null} when items name no home (the
   *     single-region asynchronous slice, {@link AsyncPlainWrites})
   * @param held the item the caller holds (its adoption checked: {@link
   *     WriteRequests#checkUpdate(VersionedItem, UpdateFunction)}), or {@code null} to read it
   *     first
   */
  public static WritePlan update(
      InputRules rules, Router router, ItemKey key, VersionedItem held, UpdateFunction function) {
    Base start = held == null ? null : Base.of(held);
    return new Plan(WriteOperation.UPDATE, key, start, null, true) {
      @Override
      public VersionedWrite next(Base base, Route route, String token) {
        Changes changes = rules.checkChanges(key, base.state(), function.apply(base.state()));
        if (router != null) {
          router.checkNewHome(key, changes);
        }
        if (changes.isEmpty()) {
          return null;
        }
        rules.checkNextVersion(base.expected().version(), key);
        return VersionedWrite.update(rules.table(), key, base.expected(), changes, token, route);
      }
    };
  }

  /**
   * A single-shot update: {@code changes} if the item is at {@code expected}; anything else ends
   * it. With {@code readFirst} the item is read first, so that the state the write stores is known
   * exactly even when DynamoDB does not return it (a transaction). {@code reapplies} names the lost
   * write a repair re-applies (recorded in its ledger entry), or is null.
   */
  public static WritePlan singleShot(
      InputRules rules,
      Router router,
      ItemKey key,
      ExpectedVersion expected,
      Changes changes,
      boolean readFirst,
      String reapplies) {
    Changes checked = rules.checkChanges(key, null, changes);
    if (router != null) {
      router.checkNewHome(key, checked);
    }
    rules.checkNextVersion(expected.version(), key);
    Base start = readFirst ? null : Base.expecting(expected);
    return new Plan(WriteOperation.UPDATE, key, start, expected, false) {
      @Override
      public VersionedWrite next(Base base, Route route, String token) {
        return VersionedWrite.update(
            rules.table(), key, expected, checked, token, route, reapplies);
      }
    };
  }

  /** A delete if the item is at {@code expected}; anything else ends it. */
  public static WritePlan delete(InputRules rules, ItemKey key, ExpectedVersion expected) {
    rules.checkNextVersion(expected.version(), key);
    return new Plan(WriteOperation.DELETE, key, Base.expecting(expected), expected, false) {
      @Override
      public VersionedWrite next(Base base, Route route, String token) {
        return VersionedWrite.delete(rules.table(), key, expected, token, route);
      }
    };
  }

  /** The settings every plan has; only {@link #next} differs. */
  private abstract static class Plan implements WritePlan {
    private final WriteOperation operation;
    private final ItemKey key;
    private final Base start;
    private final ExpectedVersion expected;
    private final boolean retriesConflicts;

    Plan(
        WriteOperation operation,
        ItemKey key,
        Base start,
        ExpectedVersion expected,
        boolean retriesConflicts) {
      this.operation = operation;
      this.key = key;
      this.start = start;
      this.expected = expected;
      this.retriesConflicts = retriesConflicts;
    }

    @Override
    public WriteOperation operation() {
      return operation;
    }

    @Override
    public ItemKey key() {
      return key;
    }

    @Override
    public Base start() {
      return start;
    }

    @Override
    public ExpectedVersion expected() {
      return expected;
    }

    @Override
    public boolean retriesConflicts() {
      return retriesConflicts;
    }
  }
}
