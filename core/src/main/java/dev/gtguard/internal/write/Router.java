package dev.gtguard.internal.write;

import dev.gtguard.Changes;
import dev.gtguard.FailoverPolicy;
import dev.gtguard.HomeRegionStrategy;
import dev.gtguard.ItemKey;
import dev.gtguard.RegionClients;
import dev.gtguard.exception.HomeRegionUnavailableException;
import dev.gtguard.exception.UnknownRegionException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Picks the region client for each request of a table: home for writes, local for plain reads. */
public final class Router {
  private final RegionClients regions;
  private final HomeRegionStrategy homeRegion;
  private final HomeRegionStrategy creationHome;
  private final FailoverPolicy failoverPolicy;
  private final String tableName;

  public Router(
      RegionClients regions,
      HomeRegionStrategy homeRegion,
      FailoverPolicy failoverPolicy,
      String tableName) {
    this.regions = regions;
    this.homeRegion = homeRegion;
    this.failoverPolicy = failoverPolicy;
    this.tableName = tableName;
    // Items that name their own home are created in one region chosen from the key alone, so
    // that two regions creating one key at once (each naming itself) meet in one conditional
    // check. Every process must configure the same regions for this to hold.
    this.creationHome = HomeRegionStrategy.hashed(List.copyOf(regions.regions()));
  }

  public String localRegion() {
    return regions.localRegion();
  }

  /** The item attribute that names the home (attribute strategy), which writes are checked on. */
  public String homeAttribute() {
    return homeRegion == null ? null : homeRegion.attributeName().orElse(null);
  }

  /** Whether the home can only be told from the item. */
  public boolean needsItem() {
    return homeAttribute() != null;
  }

  /**
   * The configured home region of an item.
   *
   * @throws UnknownRegionException if it names no region or one that is not configured
   */
  public String homeOf(ItemKey key, Map<String, AttributeValue> item) {
    if (homeRegion == null) {
      return regions.localRegion();
    }
    String region = homeRegion.regionOf(key, item);
    check(key, region);
    return region;
  }

  /**
   * Where a new item is created: its home, or for items that name their own home, a region chosen
   * from the key (the item's home must still be a configured region).
   *
   * @throws UnknownRegionException if the item's home is not configured
   */
  public String creationHomeOf(ItemKey key, Map<String, AttributeValue> item) {
    String home = homeOf(key, item);
    return needsItem() ? creationHome.regionOf(key, null) : home;
  }

  /**
   * @throws UnknownRegionException if {@code region} is null or not configured
   */
  public void check(ItemKey key, String region) {
    if (region == null || !regions.has(region)) {
      throw new UnknownRegionException(tableName, key, region, regions.regions());
    }
  }

  /** Refuses a change of the home attribute to a region that is not configured. */
  public void checkNewHome(ItemKey key, Changes changes) {
    String attribute = homeAttribute();
    if (attribute == null) {
      return;
    }
    if (changes.remove().contains(attribute)) {
      check(key, null);
    }
    AttributeValue newHome = changes.set().get(attribute);
    if (newHome != null) {
      check(key, newHome.s());
    }
  }

  /** The route of a write to {@code region}: checked on the home attribute if there is one. */
  public Route to(String region) {
    return new Route(region, homeAttribute(), null);
  }

  /**
   * Where a write goes that has only the key, and the version of the state that said so (-1 when
   * the home is a function of the key). With the attribute strategy the local replica's copy
   * (eventually consistent) names the home; empty when it has no copy.
   */
  public CompletableFuture<Optional<Routed>> routeByKey(ItemKey key, ItemReader reader) {
    if (!needsItem()) {
      return CompletableFuture.completedFuture(Optional.of(new Routed(to(homeOf(key, null)), -1)));
    }
    return reader
        .read(regions.localRegion(), key, false)
        .thenApply(
            found ->
                found.map(
                    local -> new Routed(to(homeOf(key, local.attributes())), local.version())));
  }

  /**
   * A route, and the version of the state that chose it: a replica there at a lower version has not
   * caught up with it yet.
   */
  public record Routed(Route route, long pointerVersion) {}

  /** The route of a create: there is no home attribute to check yet. */
  public Route toCreate(String region) {
    return new Route(region, null, null);
  }

  /**
   * The route to take after a request provably never reached {@code from}'s region: the local
   * region, flagged as a failover, if the policy allows it.
   *
   * @throws HomeRegionUnavailableException otherwise: nothing was written
   */
  public Route failover(Route from, ItemKey key, Throwable cause) {
    if (failoverPolicy == FailoverPolicy.FAIL || from.region().equals(regions.localRegion())) {
      throw new HomeRegionUnavailableException(tableName, key, from.region(), cause);
    }
    return new Route(regions.localRegion(), null, from.region());
  }
}
