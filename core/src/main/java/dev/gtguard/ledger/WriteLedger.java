package dev.gtguard.ledger;

import dev.gtguard.internal.Arguments;

/**
 * The write ledger: with it, every versioned write also appends, in the same region and atomically
 * (one {@code TransactWriteItems}), an entry {@code {table, key, version, token, parent token,
 * region, changes}} to an append-only table under a ULID sort key. Append-only means the ledger
 * itself never conflicts, so after replication it holds every acknowledged write of every region:
 * the {@link Reconciler} walks each item's surviving history from its current token through the
 * parent tokens, and every entry off that chain is a lost write, with the changes to re-apply.
 *
 * <p>Costs: each write becomes a two-item transaction (twice the write capacity); an update's
 * response then no longer carries the stored item, so the library computes it from the item it held
 * and the changes (a single-shot update reads it back: one extra {@code GetItem}).
 *
 * <p>The ledger table needs a string partition key and a string sort key (default names {@code pk}
 * and {@code sk}) and must be a Global Table in the same regions. One ledger can serve many tables.
 *
 * <pre>{@code
 * WriteLedger ledger = WriteLedger.builder().tableName("gtguard_ledger").build();
 * VersionedTable subscribers = VersionedTable.builder()...ledger(ledger).build();
 * }</pre>
 */
public final class WriteLedger {
  private final String tableName;
  private final String partitionKey;
  private final String sortKey;

  private WriteLedger(Builder b) {
    this.tableName = b.tableName;
    this.partitionKey = b.partitionKey;
    this.sortKey = b.sortKey;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String tableName() {
    return tableName;
  }

  public String partitionKey() {
    return partitionKey;
  }

  public String sortKey() {
    return sortKey;
  }

  @Override
  public String toString() {
    return "WriteLedger{" + tableName + "(" + partitionKey + ", " + sortKey + ")}";
  }

  /** Builds a {@link WriteLedger}; each setter validates its argument at once. */
  public static final class Builder {
    private String tableName;
    private String partitionKey = "pk";
    private String sortKey = "sk";

    private Builder() {}

    /** The ledger table. Required. */
    public Builder tableName(String tableName) {
      this.tableName = Arguments.nonBlank(tableName, "tableName");
      return this;
    }

    /** Its string partition key. Default {@code pk}. */
    public Builder partitionKey(String partitionKey) {
      this.partitionKey = Arguments.nonBlank(partitionKey, "partitionKey");
      return this;
    }

    /** Its string sort key. Default {@code sk}. */
    public Builder sortKey(String sortKey) {
      this.sortKey = Arguments.nonBlank(sortKey, "sortKey");
      return this;
    }

    /**
     * @throws IllegalStateException if no table name was set
     */
    public WriteLedger build() {
      if (tableName == null) {
        throw new IllegalStateException("tableName is required");
      }
      return new WriteLedger(this);
    }
  }
}
