package dev.gtguard.internal.write;

import dev.gtguard.VersionedItem;

/** What became of one attempt of a versioned write, as the retry loop decides on it. */
public sealed interface Outcome {

  /** Applied; {@code item} as stored ({@code null} for a delete). */
  record Stored(VersionedItem item) implements Outcome {}

  /** Refused: another write got in first; {@code current} is the item as it is now. */
  record Conflict(VersionedItem current, Throwable cause) implements Outcome {}

  /** Refused: the item's home is no longer the region written to. */
  record Moved(VersionedItem current, String home, Throwable cause) implements Outcome {}

  /** Refused: there is no such item. */
  record NotFound(Throwable cause) implements Outcome {}

  /** Refused: a create found the key taken. */
  record AlreadyExists(VersionedItem existing, Throwable cause) implements Outcome {}

  /** Refused: the caller's own condition is false although version and token matched. */
  record ConditionNotMet(VersionedItem current, Throwable cause) implements Outcome {}

  /**
   * Refused, nothing written, by a write in flight elsewhere: a multi-region strong consistency
   * conflict or another transaction. DynamoDB returns no item with it.
   */
  record Contended(Throwable cause) implements Outcome {}

  /** The response was lost, and the item shows the attempt has not been applied: send again. */
  record NotYetApplied(Throwable cause) implements Outcome {}

  /** The region provably never received the request. */
  record Unreachable(Throwable cause) implements Outcome {}

  /** The attempt may or may not have been applied, and nothing here can prove which. */
  record Unknown(Throwable cause) implements Outcome {}

  /** The calling thread was interrupted. */
  record Interrupted(boolean mayHaveApplied, Throwable cause) implements Outcome {}

  /** Refused for a reason that ends the write: throttling, bad input, access, a missing table. */
  record Failed(RuntimeException error) implements Outcome {}
}
