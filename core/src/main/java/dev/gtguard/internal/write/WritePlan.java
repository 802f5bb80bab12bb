package dev.gtguard.internal.write;

import dev.gtguard.ExpectedVersion;
import dev.gtguard.ItemKey;
import dev.gtguard.spi.WriteOperation;

/**
 * What one versioned write does on a base: create, read-modify-retry update, single-shot update,
 * delete. The {@link WriteLoop} runs every kind; a plan only says what to send and whether a
 * conflict ends it.
 */
public interface WritePlan {
  WriteOperation operation();

  ItemKey key();

  /** The base of the first attempt, or {@code null} to read the item in the write region first. */
  Base start();

  /**
   * For a single-shot write, the state it expects: an item read first that is not at it is a
   * conflict, and nothing is sent. {@code null} for creates and read-modify-retry updates.
   */
  ExpectedVersion expected();

  /** Whether a conflict is retried on the item as it is now, or ends the write. */
  boolean retriesConflicts();

  /**
   * The attempt to send on {@code base} to {@code route}, storing {@code token}; {@code null} when
   * there is nothing to write.
   *
   * @throws dev.gtguard.exception.InvalidItemException if the input breaks a rule
   */
  VersionedWrite next(Base base, Route route, String token);

  /**
   * How many callers the attempt that stored {@code token} answers: one, unless the plan combines
   * several callers' updates. Each is told of its own success or failure by the listeners.
   */
  default int callers(String token) {
    return 1;
  }
}
