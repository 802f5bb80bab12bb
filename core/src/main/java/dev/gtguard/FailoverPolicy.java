package dev.gtguard;

import dev.gtguard.exception.HomeRegionUnavailableException;

/**
 * What a write does when its home region cannot be reached (after the SDK's own retries).
 *
 * <pre>{@code
 * VersionedTable.builder()...failoverPolicy(FailoverPolicy.WRITE_LOCALLY)
 * }</pre>
 */
public enum FailoverPolicy {
  /** Default: throw {@link HomeRegionUnavailableException}; nothing is written anywhere. */
  FAIL,
  /**
   * Write to the local region instead. The write is no longer protected by the home region's check,
   * so it may lose to a concurrent write in the home region: it is reported to the listeners
   * ({@link dev.gtguard.spi.WriteListener#onFailover}) so that detection can check it.
   */
  WRITE_LOCALLY
}
