package dev.gtguard.batch;

import dev.gtguard.exception.GlobalTablesException;
import java.util.List;
import java.util.Map;

/**
 * What a {@link HomeRegionBatch} run did, per home region. Every item ends in exactly one of three
 * counts: {@code done} (the update was applied), {@code failed} (it was not: running that item
 * again applies it once) or {@code unknown} (it may or may not have been applied: look before
 * running it again). {@code callbackFailed} is a part of {@code done}: applied updates whose {@code
 * onItemDone} callback threw.
 *
 * <pre>{@code
 * BatchSummary summary = batch.runKeys(keys, fn);
 * log.info("{} done ({} callbacks failed), {} failed, {} unknown",
 *     summary.done(), summary.callbackFailed(), summary.failed(), summary.unknown());
 * for (BatchSummary.RegionSummary region : summary.regions().values()) {
 *   for (GlobalTablesException e : region.unknownOutcomes()) {
 *     recheck.add(e.key());   // read the item before running it again
 *   }
 * }
 * }</pre>
 *
 * @param regions one summary per home region the items belonged to
 */
public record BatchSummary(Map<String, RegionSummary> regions) {

  /**
   * One region's share of a batch.
   *
   * @param region the home region
   * @param done items updated (or left unchanged because the function returned no changes),
   *     including those whose callback then failed
   * @param retried of those, items whose update needed more than one attempt
   * @param failed items whose update threw and was not applied: safe to run again
   * @param failures the first few exceptions of {@code failed}, for the report
   * @param callbackFailed of {@code done}, items whose {@code onItemDone} callback threw: the write
   *     is committed, do not run it again
   * @param callbackFailures the first few exceptions the callback threw
   * @param unknown items whose update may or may not have been applied ({@link
   *     dev.gtguard.exception.OutcomeUnknownException}, or an interrupt while a write was in
   *     flight): neither done nor failed
   * @param unknownOutcomes the first few of those exceptions, each naming its item's key and, for
   *     an {@code OutcomeUnknownException}, the write tokens that prove it applied if found
   */
  public record RegionSummary(
      String region,
      long done,
      long retried,
      long failed,
      List<RuntimeException> failures,
      long callbackFailed,
      List<Throwable> callbackFailures,
      long unknown,
      List<GlobalTablesException> unknownOutcomes) {

    /** The samples are copied; null sample lists are empty. */
    public RegionSummary {
      failures = failures == null ? List.of() : List.copyOf(failures);
      callbackFailures = callbackFailures == null ? List.of() : List.copyOf(callbackFailures);
      unknownOutcomes = unknownOutcomes == null ? List.of() : List.copyOf(unknownOutcomes);
    }

    /** A summary without callback failures or unknown outcomes (the earlier shape). */
    public RegionSummary(
        String region, long done, long retried, long failed, List<RuntimeException> failures) {
      this(region, done, retried, failed, failures, 0, List.of(), 0, List.of());
    }
  }

  /** Items whose update was applied, in every region. */
  public long done() {
    return regions.values().stream().mapToLong(RegionSummary::done).sum();
  }

  /** Of {@link #done()}, items that needed more than one attempt. */
  public long retried() {
    return regions.values().stream().mapToLong(RegionSummary::retried).sum();
  }

  /** Items whose update was not applied, in every region: safe to run again. */
  public long failed() {
    return regions.values().stream().mapToLong(RegionSummary::failed).sum();
  }

  /** Of {@link #done()}, items whose {@code onItemDone} callback threw: applied, not failed. */
  public long callbackFailed() {
    return regions.values().stream().mapToLong(RegionSummary::callbackFailed).sum();
  }

  /** Items whose update may or may not have been applied, in every region. */
  public long unknown() {
    return regions.values().stream().mapToLong(RegionSummary::unknown).sum();
  }
}
