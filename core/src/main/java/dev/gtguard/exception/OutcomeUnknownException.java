package dev.gtguard.exception;

import dev.gtguard.ItemKey;
import dev.gtguard.spi.WriteOperation;
import java.util.List;

/**
 * A write was sent, its response was lost (a timeout, a dropped connection, a 5xx after the SDK's
 * own retries), and the library could not prove either way whether DynamoDB applied it: <b>it may
 * or may not have been written</b>. It is never reported as "nothing was written" and never sent
 * again on top of itself.
 *
 * <p>Before this is thrown the library has already read the item in the region written to and
 * compared write tokens; this exception means that read failed or could not decide (several other
 * writes had already built on the item, or a delete removed it). The write's identity is its token:
 * if the item's write token, or the token of a state built on it, is one of {@link #writeTokens()},
 * or the write ledger holds an entry with it, the write was applied.
 *
 * <pre>{@code
 * try {
 *   table.update(key, fn);
 * } catch (OutcomeUnknownException e) {
 *   log.warn("{} {}: outcome unknown, tokens {}", e.operation(), e.key(), e.writeTokens());
 *   // decide from the item as it is later, or let the reconciler judge
 * }
 * }</pre>
 */
public class OutcomeUnknownException extends GlobalTablesException {
  private static final long serialVersionUID = 1L;

  private final WriteOperation operation;
  private final List<String> writeTokens;

  public OutcomeUnknownException(
      String tableName,
      ItemKey key,
      String region,
      WriteOperation operation,
      List<String> writeTokens,
      Throwable cause) {
    super(
        operation
            + " of item "
            + key
            + " in table "
            + tableName
            + " (region "
            + region
            + "): outcome unknown, it may or may not have been applied; its write token(s) "
            + writeTokens,
        tableName,
        key,
        region,
        cause);
    this.operation = operation;
    this.writeTokens = List.copyOf(writeTokens);
  }

  /** The kind of write. */
  public WriteOperation operation() {
    return operation;
  }

  /**
   * The write tokens of the attempts whose outcome is open (for a delete, the tokens of its ledger
   * entries). At most one of them can have been applied.
   */
  public List<String> writeTokens() {
    return writeTokens;
  }
}
