package dev.gtguard.internal.write;

/**
 * Where one request goes.
 *
 * @param region the region written to (its client is the {@link Transport}'s)
 * @param homeAttribute the attribute a write must find naming {@code region} (the attribute
 *     strategy), or {@code null} when writes are not conditional on it
 * @param failedHome for a local write standing in for an unreachable home, that home; else null
 */
public record Route(String region, String homeAttribute, String failedHome) {

  /** Whether writes must find the item's home attribute naming {@link #region}. */
  public boolean checkHome() {
    return homeAttribute != null;
  }

  /** Whether this is a local write standing in for an unreachable home. */
  public boolean failover() {
    return failedHome != null;
  }
}
