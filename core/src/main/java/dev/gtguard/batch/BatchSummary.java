package dev.gtguard.batch;

import java.util.List;
import java.util.Map;

/**
 * What a {@link HomeRegionBatch} run did, per home region.
 *
 * @param regions one summary per home region the items belonged to
 */
public record BatchSummary(Map<String, RegionSummary> regions) {

  /**
   * One region's share of a batch.
   *
   * @param region the home region
   * @param done items updated (or left unchanged because the function returned no changes)
   * @param retried of those, items whose update needed more than one attempt
   * @param failed items whose update threw
   * @param failures the first few exceptions, for the report
   */
  public record RegionSummary(
      String region, long done, long retried, long failed, List<RuntimeException> failures) {}

  public long done() {
    return regions.values().stream().mapToLong(RegionSummary::done).sum();
  }

  public long retried() {
    return regions.values().stream().mapToLong(RegionSummary::retried).sum();
  }

  public long failed() {
    return regions.values().stream().mapToLong(RegionSummary::failed).sum();
  }
}
