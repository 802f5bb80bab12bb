package dev.gtguard;

import dev.gtguard.internal.ClientRegion;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One SDK client per region of a Global Table, and which region this process runs in. Reads stay in
 * the local region; writes go to each item's home region. Immutable; the clients are not closed by
 * this class.
 *
 * <pre>{@code
 * RegionClients regions = RegionClients.builder()
 *     .local(DynamoDbClient.builder().region(Region.US_EAST_1).build())
 *     .remote(DynamoDbClient.builder().region(Region.EU_WEST_1).build())
 *     .build();
 * }</pre>
 */
public final class RegionClients {
  private final String localRegion;
  private final Map<String, DynamoDbClient> clients;

  private RegionClients(Builder builder) {
    this.localRegion = builder.localRegion;
    this.clients = Collections.unmodifiableMap(new LinkedHashMap<>(builder.clients));
  }

  /** A builder; exactly one local client is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A single region: the client's own, which is local. */
  public static RegionClients single(DynamoDbClient client) {
    Builder builder = builder();
    builder.clients.put(ClientRegion.of(Objects.requireNonNull(client, "client")), client);
    builder.localRegion = ClientRegion.of(client);
    return builder.build();
  }

  /** The region this process runs in. */
  public String localRegion() {
    return localRegion;
  }

  /** The local region's client. */
  public DynamoDbClient local() {
    return clients.get(localRegion);
  }

  /** Every configured region, local first. */
  public Set<String> regions() {
    return clients.keySet();
  }

  /** Whether a client is configured for this region. */
  public boolean has(String region) {
    return clients.containsKey(region);
  }

  /** The client of a configured region, or {@code null}. */
  public DynamoDbClient client(String region) {
    return clients.get(region);
  }

  /** Builds {@link RegionClients}; each setter validates its argument at once. */
  public static final class Builder {
    private String localRegion;
    private final Map<String, DynamoDbClient> clients = new LinkedHashMap<>();

    private Builder() {}

    /**
     * The local region's client; its configured region names the region.
     *
     * @throws IllegalStateException if a local client was already set or the region is taken
     */
    public Builder local(DynamoDbClient client) {
      return local(ClientRegion.of(Objects.requireNonNull(client, "client")), client);
    }

    /** The local region's client, under an explicit region name. */
    public Builder local(String region, DynamoDbClient client) {
      if (localRegion != null) {
        throw new IllegalStateException("local region already set to " + localRegion);
      }
      put(region, client);
      localRegion = region;
      return this;
    }

    /** Another region's client; its configured region names the region. */
    public Builder remote(DynamoDbClient client) {
      return remote(ClientRegion.of(Objects.requireNonNull(client, "client")), client);
    }

    /** Another region's client, under an explicit region name. */
    public Builder remote(String region, DynamoDbClient client) {
      put(region, client);
      return this;
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

    private void put(String region, DynamoDbClient client) {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(client, "client");
      if (region.isBlank() || region.equals("unknown")) {
        throw new IllegalArgumentException(
            "name the client's region explicitly, was '" + region + "'");
      }
      if (clients.containsKey(region)) {
        throw new IllegalStateException("region " + region + " configured twice");
      }
      clients.put(region, client);
    }
  }
}
