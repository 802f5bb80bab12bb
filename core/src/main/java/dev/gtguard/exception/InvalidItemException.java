package dev.gtguard.exception;

import dev.gtguard.ItemKey;

/**
 * Bad input: the item, key or changes cannot be written safely, so nothing was written. {@link
 * #reason()} says which rule was broken.
 *
 * <pre>{@code
 * try {
 *   table.create(item);
 * } catch (InvalidItemException e) {
 *   if (e.reason() == InvalidItemException.Reason.ITEM_TOO_LARGE) { ... }
 * }
 * }</pre>
 */
public class InvalidItemException extends GlobalTablesException {
  private static final long serialVersionUID = 1L;

  /** The rule the input broke. */
  public enum Reason {
    /** A key attribute is missing, empty, of a type DynamoDB keys cannot have, or unexpected. */
    MISSING_KEY,
    /** The changes would modify a key attribute; an item's key never changes. */
    KEY_CHANGED,
    /** The caller set or removed the version or write-token attribute, which the library owns. */
    VERSION_CHANGED,
    /** The stored version is not a number (or the stored write token not a string). */
    VERSION_TYPE,
    /** The stored item has no version and the table is configured to reject legacy items. */
    VERSION_MISSING,
    /** An attribute name starts with {@code aws:rep:}, which Global Tables reserve. */
    RESERVED_ATTRIBUTE,
    /** The item would exceed DynamoDB's 400 KB item size limit. */
    ITEM_TOO_LARGE,
    /** A condition or placeholder given with the changes uses names the library reserves. */
    RESERVED_PLACEHOLDER,
    /**
     * A number is not one DynamoDB stores: not a number at all, more than 38 significant digits, or
     * a magnitude outside 1E-130 to 9.99...E+125.
     */
    INVALID_NUMBER,
    /** The item is at the largest version there is ({@link Long#MAX_VALUE}): it takes no writes. */
    VERSION_OVERFLOW,
    /**
     * The write ledger entry (which records the changes) would exceed DynamoDB's 400 KB item size
     * limit, although the item itself would not.
     */
    LEDGER_ENTRY_TOO_LARGE,
    /**
     * The item collection of the item's partition key would exceed 10 GB (a table with a local
     * secondary index).
     */
    ITEM_COLLECTION_TOO_LARGE,
    /**
     * DynamoDB refused the request as invalid ({@code ValidationException}); the message carries
     * its reason.
     */
    INVALID_REQUEST
  }

  private final Reason reason;

  public InvalidItemException(
      Reason reason, String message, String tableName, ItemKey key, Throwable cause) {
    super(message, tableName, key, null, cause);
    this.reason = reason;
  }

  /** Which rule the input broke. */
  public Reason reason() {
    return reason;
  }
}
