package dev.gtguard.enhanced;

import dev.gtguard.ItemKey;
import dev.gtguard.exception.GlobalTablesException;

/**
 * A plain {@code DynamoDbTable} write (put, update, or either inside a transaction or batch) of an
 * entity marked {@link Versioned} or {@link UlidSortKey}, refused by the {@link
 * GlobalTablesExtension} before it was sent: it would skip the version check, the write token and
 * home-region routing. Write such entities through {@link VersionedEntityTable} or {@link
 * AppendOnlyEntityTable}.
 *
 * <pre>{@code
 * customers.dynamoDbTable().putItem(customer);   // throws UnprotectedWriteException
 * customers.update(key, c -> { c.setPlan("pro"); return c; }); // the protected way
 * }</pre>
 */
public class UnprotectedWriteException extends GlobalTablesException {
  private static final long serialVersionUID = 1L;

  public UnprotectedWriteException(String message, String tableName, ItemKey key) {
    super(message, tableName, key, null, null);
  }
}
