package dev.gtguard.ledger;

import dev.gtguard.internal.Arguments;
import dev.gtguard.internal.ledger.LedgerIntegrity;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

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
 * and the changes (a single-shot update reads the item first: one {@code GetItem}).
 *
 * <p>The ledger table needs a string partition key and a string sort key (default names {@code pk}
 * and {@code sk}) and must be a Global Table in the same regions. Each entry's partition key starts
 * with the table's name and {@code #}: give each table its own ledger, or fence writers to their
 * tables' entries with IAM {@code dynamodb:LeadingKeys} (see {@code docs/iam/}).
 *
 * <ul>
 *   <li><b>Retention</b>: {@link Builder#retention(Duration)} stamps each entry with an expiry time
 *       (epoch seconds) in {@link #expiryAttribute()}; enable DynamoDB TTL on that attribute. The
 *       reconciler treats history older than the retention as a boundary, never as a loss.
 *   <li><b>Integrity</b>: {@link Builder#integrityKey(byte[])} adds an HMAC-SHA256 of every entry;
 *       the reconciler refuses to trust (or re-apply) an entry whose MAC does not verify, so a
 *       principal that can put ledger items cannot forge a repair.
 * </ul>
 *
 * <pre>{@code
 * WriteLedger ledger = WriteLedger.builder()
 *     .tableName("subscribers_ledger")
 *     .retention(Duration.ofDays(30))
 *     .integrityKey(secrets.ledgerKey())
 *     .build();
 * VersionedTable subscribers = VersionedTable.builder()...ledger(ledger).build();
 * }</pre>
 */
public final class WriteLedger {
  private final String tableName;
  private final String partitionKey;
  private final String sortKey;
  private final Duration retention;
  private final String expiryAttribute;
  private final LedgerIntegrity integrity;

  private WriteLedger(Builder b) {
    this.tableName = b.tableName;
    this.partitionKey = b.partitionKey;
    this.sortKey = b.sortKey;
    this.retention = b.retention;
    this.expiryAttribute = b.expiryAttribute;
    this.integrity = b.integrityKey == null ? null : new LedgerIntegrity(b.integrityKey);
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

  /** How long entries are kept, if they expire. */
  public Optional<Duration> retention() {
    return Optional.ofNullable(retention);
  }

  /** The attribute holding an entry's expiry time in epoch seconds, for DynamoDB TTL. */
  public String expiryAttribute() {
    return expiryAttribute;
  }

  /** Whether entries carry a MAC that the reconciler verifies. */
  public boolean signsEntries() {
    return integrity != null;
  }

  /**
   * Signs and verifies entries. <b>Not API</b>: for the library's own writers and reconciler.
   *
   * @return the signer, or {@code null} when entries are not signed
   */
  public LedgerIntegrity integrity() {
    return integrity;
  }

  @Override
  public String toString() {
    return "WriteLedger{"
        + tableName
        + "("
        + partitionKey
        + ", "
        + sortKey
        + ")"
        + (retention == null ? "" : ", retention " + retention)
        + (integrity == null ? "" : ", signed")
        + "}";
  }

  /** Builds a {@link WriteLedger}; each setter validates its argument at once. */
  public static final class Builder {
    private String tableName;
    private String partitionKey = "pk";
    private String sortKey = "sk";
    private Duration retention;
    private String expiryAttribute = "expires_at";
    private byte[] integrityKey;

    private Builder() {}

    /** The ledger table. Required. */
    public Builder tableName(String tableName) {
      this.tableName = Arguments.nonBlank(tableName, "tableName");
      return this;
    }

    /** Its string partition key. Default {@code pk}. */
    public Builder partitionKey(String partitionKey) {
      this.partitionKey = Arguments.attributeName(partitionKey, "partitionKey");
      return this;
    }

    /** Its string sort key. Default {@code sk}. */
    public Builder sortKey(String sortKey) {
      this.sortKey = Arguments.attributeName(sortKey, "sortKey");
      return this;
    }

    /**
     * Entries expire this long after they were written (DynamoDB TTL on {@link
     * #expiryAttribute(String)}). Default: kept forever.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder retention(Duration retention) {
      Objects.requireNonNull(retention, "retention");
      if (retention.isZero() || retention.isNegative()) {
        throw new IllegalArgumentException("retention must be positive, was " + retention);
      }
      this.retention = retention;
      return this;
    }

    /** The expiry attribute for DynamoDB TTL. Default {@code expires_at}. */
    public Builder expiryAttribute(String expiryAttribute) {
      this.expiryAttribute = Arguments.attributeName(expiryAttribute, "expiryAttribute");
      return this;
    }

    /**
     * Signs every entry with HMAC-SHA256 under this key (at least 32 bytes; keep it in a secrets
     * manager, not in code). Writers and the reconciler must use the same key.
     *
     * @throws IllegalArgumentException if shorter than 32 bytes
     */
    public Builder integrityKey(byte[] key) {
      Objects.requireNonNull(key, "key");
      if (key.length < 32) {
        throw new IllegalArgumentException("integrityKey must be at least 32 bytes");
      }
      this.integrityKey = key.clone();
      return this;
    }

    /**
     * @throws IllegalStateException if no table name was set, or the key attributes clash
     */
    public WriteLedger build() {
      if (tableName == null) {
        throw new IllegalStateException("tableName is required");
      }
      if (partitionKey.equals(sortKey)
          || expiryAttribute.equals(partitionKey)
          || expiryAttribute.equals(sortKey)) {
        throw new IllegalStateException("partitionKey, sortKey and expiryAttribute must differ");
      }
      return new WriteLedger(this);
    }
  }
}
