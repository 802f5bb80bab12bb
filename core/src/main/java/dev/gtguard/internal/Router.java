package dev.gtguard.internal;

import dev.gtguard.FailoverPolicy;
import dev.gtguard.HomeRegion;
import dev.gtguard.ItemKey;
import dev.gtguard.RegionClients;
import dev.gtguard.exception.HomeRegionUnavailableException;
import dev.gtguard.exception.UnknownRegionException;
import dev.gtguard.spi.FailoverWrite;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spi.WriteOperation;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** Picks the region client for each request of a table: home for writes, local for plain reads. */
public final class Router {

  /**
   * Where one request goes.
   *
   * @param region the region written to
   * @param client its client
   * @param checkHome whether the write must be conditional on the item's home attribute naming
   *     {@code region}
   * @param failover whether this is a local write standing in for an unreachable home
   */
  public record Route(String region, DynamoDbClient client, boolean checkHome, boolean failover) {}

  private final RegionClients regions;
  private final HomeRegion homeRegion;
  private final FailoverPolicy failoverPolicy;
  private final String tableName;
  private final WriteListener listener;

  public Router(
      RegionClients regions,
      HomeRegion homeRegion,
      FailoverPolicy failoverPolicy,
      String tableName,
      WriteListener listener) {
    this.regions = regions;
    this.homeRegion = homeRegion;
    this.failoverPolicy = failoverPolicy;
    this.tableName = tableName;
    this.listener = listener;
  }

  public String localRegion() {
    return regions.localRegion();
  }

  public DynamoDbClient local() {
    return regions.local();
  }

  /** Whether the home is named by an item attribute, which writes are then conditional on. */
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
   * @throws UnknownRegionException if {@code region} is null or not configured
   */
  public void check(ItemKey key, String region) {
    if (region == null || !regions.has(region)) {
      throw new UnknownRegionException(tableName, key, region, regions.regions());
    }
  }

  public Route to(String region) {
    return new Route(region, regions.client(region), needsItem(), false);
  }

  /** Whether a failure means the region could not be reached, rather than a refused request. */
  public static boolean unreachable(RuntimeException e) {
    return e instanceof SdkClientException
        || (e instanceof DynamoDbException d && d.statusCode() >= 500);
  }

  /**
   * The route to take after {@code from}'s region was unreachable: the local region, flagged, if
   * the policy allows it.
   *
   * @throws HomeRegionUnavailableException otherwise
   */
  public Route failover(Route from, ItemKey key, WriteOperation operation, RuntimeException cause) {
    if (failoverPolicy == FailoverPolicy.FAIL || from.region().equals(regions.localRegion())) {
      throw new HomeRegionUnavailableException(tableName, key, from.region(), cause);
    }
    listener.onFailover(
        new FailoverWrite(tableName, key, operation, from.region(), regions.localRegion(), cause));
    return new Route(regions.localRegion(), regions.local(), false, true);
  }
}
