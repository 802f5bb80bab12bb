package dev.gtguard.enhanced;

import software.amazon.awssdk.enhanced.dynamodb.Key;

/**
 * Derives an item's home region from its key, for {@link HomeRegion#resolver()} and {@link
 * GlobalTableTags#homeRegion(HomeRegionResolver)}. Must be deterministic and the same in every
 * process, so that every region sends an item's writes to the same place.
 *
 * <pre>{@code
 * public class ByCustomerId implements HomeRegionResolver {
 *   public String homeRegion(Key key) {
 *     return key.partitionKeyValue().s().startsWith("eu-") ? "eu-west-1" : "us-east-1";
 *   }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface HomeRegionResolver {

  /**
   * @return the home region of the item with this key: one of the configured regions
   */
  String homeRegion(Key key);
}
