package dev.gtguard.testkit.internal;

/**
 * The hidden per-item replication timestamp of Global Tables (MREC): origin time in milliseconds,
 * ties broken by region name so every replica picks the same winner.
 */
public record Stamp(long millis, String region) implements Comparable<Stamp> {
  @Override
  public int compareTo(Stamp other) {
    int byTime = Long.compare(millis, other.millis);
    return byTime != 0 ? byTime : region.compareTo(other.region);
  }

  public boolean after(Stamp other) {
    return other == null || compareTo(other) > 0;
  }
}
