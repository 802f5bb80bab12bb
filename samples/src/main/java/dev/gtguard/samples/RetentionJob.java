package dev.gtguard.samples;

import dev.gtguard.Changes;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedTable;
import dev.gtguard.batch.BatchSummary;
import dev.gtguard.batch.HomeRegionBatch;
import java.util.function.Consumer;

/**
 * The seed's retention job, which stamped {@code last_contacted} on every subscriber from us-east-1
 * and so raced every portal write in the subscriber's own region. Rewritten on {@link
 * HomeRegionBatch}: it still scans its local replica, but each subscriber's update runs in that
 * subscriber's home region, where the version check is the only one that counts.
 *
 * <pre>{@code
 * VersionedTable subscribers = ...; // clients of every region, HomeRegionStrategy.attribute("home_region")
 * BatchSummary summary = new RetentionJob(subscribers).run("2024-11-22T14:07:12Z", result -> {});
 * }</pre>
 */
final class RetentionJob {
  private final VersionedTable subscribers;

  RetentionJob(VersionedTable subscribers) {
    this.subscribers = subscribers;
  }

  /** Stamps {@code last_contacted = <stamp>/<pk>} on every subscriber, each in its home region. */
  BatchSummary run(String stamp, Consumer<UpdateResult> onDone) {
    return HomeRegionBatch.builder()
        .table(subscribers)
        .concurrencyPerRegion(4)
        .onItemDone(onDone)
        .build()
        .run(
            subscribers.scanLocal(),
            item ->
                Changes.builder().set("last_contacted", value(stamp, item.get("pk").s())).build());
  }

  /** The value the job writes for one subscriber: unique per run and subscriber. */
  static String value(String stamp, String pk) {
    return stamp + "/" + pk;
  }
}
