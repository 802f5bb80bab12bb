package dev.gtguard.exception;

import dev.gtguard.ItemKey;
import java.util.Optional;

/**
 * Root of every exception this library throws for a write it refused, could not complete, or found
 * unsafe. Unchecked, like the AWS SDK's own exceptions; the SDK exception that led to it, if any,
 * is kept as the cause.
 *
 * <p>Every subclass names the table, the item key and, where a request was sent, the region:
 *
 * <pre>{@code
 * try {
 *   table.update(key, item -> Changes.builder().set("plan", "pro").build());
 * } catch (RetriesExhaustedException e) {
 *   log.warn("gave up on {} in {} after {} attempts", e.key(), e.region().orElse("?"), e.attempts());
 * } catch (GlobalTablesException e) {
 *   log.warn("write refused: {}", e.getMessage());
 * }
 * }</pre>
 *
 * <p>Configuration mistakes (a null builder argument, a bad retry setting) are plain {@link
 * NullPointerException}s and {@link IllegalArgumentException}s, thrown when the builder is used.
 */
public class GlobalTablesException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String tableName;
  private final transient ItemKey key;
  private final String region;

  protected GlobalTablesException(
      String message, String tableName, ItemKey key, String region, Throwable cause) {
    super(message, cause);
    this.tableName = tableName;
    this.key = key;
    this.region = region;
  }

  /** The table the write was meant for. */
  public String tableName() {
    return tableName;
  }

  /** The key of the item, or {@code null} when the key itself could not be read from the input. */
  public ItemKey key() {
    return key;
  }

  /** The region whose endpoint was called, if a request was sent or planned. */
  public Optional<String> region() {
    return Optional.ofNullable(region);
  }
}
