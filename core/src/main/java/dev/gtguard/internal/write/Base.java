package dev.gtguard.internal.write;

import dev.gtguard.ExpectedVersion;
import dev.gtguard.VersionedItem;
import java.util.Objects;

/**
 * The state a write is built on: the item as held (when known) and the version and token the
 * write's condition expects. A create is built on no item at all.
 *
 * @param state the item, or {@code null} when only its version and token are known (a single-shot
 *     write) or there is none (a create)
 * @param expected what the write's condition expects; {@code null} for a create
 */
public record Base(VersionedItem state, ExpectedVersion expected) {
  /** The base of a create: no item. */
  public static final Base ABSENT = new Base(null, null);

  /** A base known as a whole item. */
  public static Base of(VersionedItem state) {
    return new Base(state, state.expected());
  }

  /** A base known only by its version and token. */
  public static Base expecting(ExpectedVersion expected) {
    return new Base(null, Objects.requireNonNull(expected, "expected"));
  }

  /** Whether {@code item} (null: absent) is this base's state. Tokens are unique per write. */
  public boolean matches(VersionedItem item) {
    if (expected == null) {
      return item == null;
    }
    return item != null && item.expected().equals(expected);
  }
}
