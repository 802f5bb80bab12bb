package dev.gtguard;

import dev.gtguard.internal.ClientRegion;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The SDK clients of every region of a Global Table, and which region this process runs in. Reads
 * stay in the local region; writes go to each item's home region. A region may hold a blocking
 * {@link DynamoDbClient}, a {@link DynamoDbAsyncClient}, or both: a {@link VersionedTable} needs a
 * blocking client in every region, an {@link AsyncVersionedTable} an asynchronous one. Immutable;
 * the clients are not closed by this class.
 *
 * <pre>{@code
 * RegionClients regions = RegionClients.builder()
 *     .local(DynamoDbClient.builder().region(Region.US_EAST_1).build())
 *     .remote(DynamoDbClient.builder().region(Region.EU_WEST_1).build())
 *     .build();
 *
 * RegionClients async = RegionClients.builder()
 *     .local(DynamoDbAsyncClient.builder().region(Region.US_EAST_1).build())
 *     .remote(DynamoDbAsyncClient.builder().region(Region.EU_WEST_1).build())
 *     .build();
 * }</pre>
 */
public final class RegionClients {
  private final String localRegion;
  private final Map<String, DynamoDbClient> clients;
  private final Map<String, DynamoDbAsyncClient> asyncClients;
  private final Set<String> regions;

  private RegionClients(Builder builder) {
    this.localRegion = builder.localRegion;
    this.clients = Collections.unmodifiableMap(new LinkedHashMap<>(builder.clients));
    this.asyncClients = Collections.unmodifiableMap(new LinkedHashMap<>(builder.asyncClients));
    this.regions = Collections.unmodifiableSet(builder.regions.keySet());
  }

  /** A builder; a local client is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A single region: the client's own, which is local. */
  public static RegionClients single(DynamoDbClient client) {
    return builder()
        .add(ClientRegion.of(Objects.requireNonNull(client, "client")), client, true, false)
        .build();
  }

  /** A single region: the asynchronous client's own, which is local. */
  public static RegionClients single(DynamoDbAsyncClient client) {
    return builder()
        .add(ClientRegion.of(Objects.requireNonNull(client, "client")), client, true, false)
        .build();
  }

  /** The region this process runs in. */
  public String localRegion() {
    return localRegion;
  }

  /** The local region's blocking client, or {@code null} if it has only an asynchronous one. */
  public DynamoDbClient local() {
    return clients.get(localRegion);
  }

  /** The local region's asynchronous client, or {@code null} if it has only a blocking one. */
  public DynamoDbAsyncClient asyncLocal() {
    return asyncClients.get(localRegion);
  }

  /** Every configured region, local first. */
  public Set<String> regions() {
    return regions;
  }

  /** Whether a client is configured for this region. */
  public boolean has(String region) {
    return regions.contains(region);
  }

  /** The blocking client of a configured region, or {@code null}. */
  public DynamoDbClient client(String region) {
    return clients.get(region);
  }

  /** The asynchronous client of a configured region, or {@code null}. */
  public DynamoDbAsyncClient asyncClient(String region) {
    return asyncClients.get(region);
  }

  /** Whether every region has a blocking client. */
  public boolean blocking() {
    return clients.keySet().equals(regions);
  }

  /** Whether every region has an asynchronous client. */
  public boolean async() {
    return asyncClients.keySet().equals(regions);
  }

  /**
   * Builds {@link RegionClients}; each setter validates its argument at once. A region named twice
   * may hold one blocking and one asynchronous client.
   */
  public static final class Builder {
    private String localRegion;
    private final Map<String, Boolean> regions = new LinkedHashMap<>();
    private final Map<String, DynamoDbClient> clients = new LinkedHashMap<>();
    private final Map<String, DynamoDbAsyncClient> asyncClients = new LinkedHashMap<>();

    private Builder() {}

    /**
     * The local region's client; its configured region names the region.
     *
     * @throws IllegalStateException if another local region was set, or the region already has a
     *     blocking client
     */
    public Builder local(DynamoDbClient client) {
      return local(region(client), client);
    }

    /** The local region's client, under an explicit region name. */
    public Builder local(String region, DynamoDbClient client) {
      return add(region, client, true, true);
    }

    /** The local region's asynchronous client; its configured region names the region. */
    public Builder local(DynamoDbAsyncClient client) {
      return local(region(client), client);
    }

    /** The local region's asynchronous client, under an explicit region name. */
    public Builder local(String region, DynamoDbAsyncClient client) {
      return add(region, client, true, true);
    }

    /** Another region's client; its configured region names the region. */
    public Builder remote(DynamoDbClient client) {
      return remote(region(client), client);
    }

    /** Another region's client, under an explicit region name. */
    public Builder remote(String region, DynamoDbClient client) {
      return add(region, client, false, true);
    }

    /** Another region's asynchronous client; its configured region names the region. */
    public Builder remote(DynamoDbAsyncClient client) {
      return remote(region(client), client);
    }

    /** Another region's asynchronous client, under an explicit region name. */
    public Builder remote(String region, DynamoDbAsyncClient client) {
      return add(region, client, false, true);
    }

    /**
     * @throws IllegalStateException if no local client was set
     */
    public RegionClients build() {
      if (localRegion == null) {
        throw new IllegalStateException("a local region client is required");
      }
      return new RegionClients(this);
    }

    private static String region(SdkClient client) {
      return ClientRegion.of(Objects.requireNonNull(client, "client"));
    }

    /** {@code named}: the region must be named (a single region's may stay "unknown"). */
    private Builder add(String region, SdkClient client, boolean local, boolean named) {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(client, "client");
      if (named && (region.isBlank() || region.equals("unknown"))) {
        throw new IllegalArgumentException(
            "name the client's region explicitly, was '" + region + "'");
      }
      Boolean wasLocal = regions.get(region);
      if (local && localRegion != null && !localRegion.equals(region)) {
        throw new IllegalStateException("local region already set to " + localRegion);
      }
      if (wasLocal != null && wasLocal != local) {
        throw new IllegalStateException(
            "region " + region + " configured both as local and as remote");
      }
      boolean async = client instanceof DynamoDbAsyncClient;
      if (async ? asyncClients.containsKey(region) : clients.containsKey(region)) {
        throw new IllegalStateException(
            "region " + region + " configured twice" + (async ? " (asynchronous)" : ""));
      }
      if (async) {
        asyncClients.put(region, (DynamoDbAsyncClient) client);
      } else {
        clients.put(region, (DynamoDbClient) client);
      }
      regions.put(region, local);
      if (local) {
        localRegion = region;
      }
      return this;
    }
  }
}
