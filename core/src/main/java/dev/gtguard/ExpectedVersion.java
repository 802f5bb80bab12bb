package dev.gtguard;

import java.util.Objects;
import java.util.Optional;

/**
 * The version and write token a single-shot write expects to find. Take it from the item you read
 * ({@link VersionedItem#expected()}), so the write token is checked too: a same-version overwrite
 * by another region then fails the check instead of passing it.
 *
 * <pre>{@code
 * VersionedItem held = table.get(key).orElseThrow();
 * table.delete(key, held.expected());
 * }</pre>
 *
 * @param version the expected version; 0 means a legacy item that has no version attribute yet
 * @param token the expected write token, or {@code null} for an item written without one
 */
public record ExpectedVersion(long version, String token) {

  /**
   * @throws IllegalArgumentException if {@code version} is negative
   */
  public ExpectedVersion {
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0, was " + version);
    }
  }

  /** Expects exactly this version and write token. */
  public static ExpectedVersion of(long version, String writeToken) {
    return new ExpectedVersion(version, Objects.requireNonNull(writeToken, "writeToken"));
  }

  /**
   * Expects this version and no write token: for items written before this library, or by code that
   * does not keep tokens. Weaker than {@link #of(long, String)}.
   */
  public static ExpectedVersion versionOnly(long version) {
    return new ExpectedVersion(version, null);
  }

  /** The expected write token, if any. */
  public Optional<String> writeToken() {
    return Optional.ofNullable(token);
  }
}
