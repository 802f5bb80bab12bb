package dev.gtguard;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Which region is an item's home: the one region whose replica every write of that item goes to, so
 * that its conditional check is a real guarantee instead of a check against one of several
 * diverging replicas. Four strategies:
 *
 * <ul>
 *   <li>{@link #attribute(String)} — an item attribute names the region (e.g. the subscriber's
 *       region, {@code home_region}); writes are also conditional on it, which makes moving an
 *       item's home safe;
 *   <li>{@link #byKey(Function)} — a function of the key;
 *   <li>{@link #fixed(String)} — one region for the whole table;
 *   <li>{@link #hashed(List)} — rendezvous hashing of the key over the regions, for contested
 *       counters and quotas with no natural home (adding or removing a region moves only the keys
 *       that must move).
 * </ul>
 *
 * <pre>{@code
 * VersionedTable subscribers = VersionedTable.builder()
 *     .clients(regionClients)
 *     .homeRegion(HomeRegionStrategy.attribute("home_region"))
 *     ...
 * }</pre>
 */
public abstract class HomeRegionStrategy {

  HomeRegionStrategy() {}

  /**
   * The item attribute (a string) names its home region. A write is routed by the item the caller
   * holds, or else by the local replica's copy, and is conditional on the attribute still naming
   * the region written to: a write that reaches a former home is refused there and re-routed.
   */
  public static HomeRegionStrategy attribute(String attributeName) {
    Objects.requireNonNull(attributeName, "attributeName");
    if (attributeName.isBlank()) {
      throw new IllegalArgumentException("attributeName must not be blank");
    }
    return new Attribute(attributeName);
  }

  /** The home is a function of the key; the function must return a configured region. */
  public static HomeRegionStrategy byKey(Function<ItemKey, String> function) {
    Objects.requireNonNull(function, "function");
    return new KeyFunction(function, "byKey");
  }

  /** Every item's home is {@code region}. */
  public static HomeRegionStrategy fixed(String region) {
    Objects.requireNonNull(region, "region");
    return new KeyFunction(key -> region, "fixed(" + region + ")");
  }

  /**
   * Rendezvous (highest-random-weight) hashing of the key over {@code regions}: stable across
   * processes and JVMs, spread evenly.
   *
   * @throws IllegalArgumentException if {@code regions} is empty
   */
  public static HomeRegionStrategy hashed(List<String> regions) {
    List<String> copy = List.copyOf(regions);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("regions must not be empty");
    }
    return new KeyFunction(key -> rendezvous(key, copy), "hashed" + copy);
  }

  /** The item attribute that names the home, for the attribute strategy. */
  public Optional<String> attributeName() {
    return Optional.empty();
  }

  /**
   * The home region of an item.
   *
   * @param key the item's key
   * @param item the item, or {@code null} when it is not at hand
   * @return the region, or {@code null} when it cannot be told without the item (or the item does
   *     not name one)
   */
  public abstract String regionOf(ItemKey key, Map<String, AttributeValue> item);

  private static final class Attribute extends HomeRegionStrategy {
    private final String name;

    Attribute(String name) {
      this.name = name;
    }

    @Override
    public Optional<String> attributeName() {
      return Optional.of(name);
    }

    @Override
    public String regionOf(ItemKey key, Map<String, AttributeValue> item) {
      if (item == null) {
        return null;
      }
      AttributeValue value = item.get(name);
      return value == null ? null : value.s();
    }

    @Override
    public String toString() {
      return "attribute(" + name + ")";
    }
  }

  private static final class KeyFunction extends HomeRegionStrategy {
    private final Function<ItemKey, String> function;
    private final String description;

    KeyFunction(Function<ItemKey, String> function, String description) {
      this.function = function;
      this.description = description;
    }

    @Override
    public String regionOf(ItemKey key, Map<String, AttributeValue> item) {
      return function.apply(key);
    }

    @Override
    public String toString() {
      return description;
    }
  }

  private static String rendezvous(ItemKey key, List<String> regions) {
    String keyText = key.toString();
    String best = null;
    long bestWeight = Long.MIN_VALUE;
    for (String region : regions) {
      long weight = fnv1a64(region + "\u0000" + keyText);
      if (best == null || weight > bestWeight) {
        best = region;
        bestWeight = weight;
      }
    }
    return best;
  }

  private static long fnv1a64(String text) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    // FNV's low bits mix poorly for short inputs; finish with a murmur-style avalanche.
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    return hash;
  }
}
