package dev.gtguard.spring.autoconfigure;

import dev.gtguard.RegionClients;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The one {@code DynamoDbClient} per configured region that the starter builds and owns: closed
 * with the application context. They are not beans of type {@code DynamoDbClient}, so that an
 * application's own {@code DynamoDbClient} bean (or spring-cloud-aws's) is never ambiguous with
 * them; reach them through {@link RegionClients} ({@code regionClients.client("eu-west-1")}).
 *
 * <pre>{@code
 * @Bean
 * ApplicationRunner smoke(RegionClients regions) {
 *   return args -> regions.local().describeTable(r -> r.tableName("subscriber"));
 * }
 * }</pre>
 */
public final class GtguardDynamoDbClients implements AutoCloseable {
  private final String localRegion;
  private final Map<String, DynamoDbClient> clients;

  /**
   * Takes ownership of the clients.
   *
   * @param clients by region name; must hold the local region
   */
  public GtguardDynamoDbClients(String localRegion, Map<String, DynamoDbClient> clients) {
    this.localRegion = Objects.requireNonNull(localRegion, "localRegion");
    this.clients = Collections.unmodifiableMap(new LinkedHashMap<>(clients));
    if (!clients.containsKey(localRegion)) {
      throw new IllegalArgumentException("no client for the local region " + localRegion);
    }
  }

  /** The region this process runs in. */
  public String localRegion() {
    return localRegion;
  }

  /** Every client, by region. */
  public Map<String, DynamoDbClient> clients() {
    return clients;
  }

  /** The clients as the library takes them: the local one, and the others as remote. */
  public RegionClients regionClients() {
    RegionClients.Builder builder =
        RegionClients.builder().local(localRegion, clients.get(localRegion));
    clients.forEach(
        (region, client) -> {
          if (!region.equals(localRegion)) {
            builder.remote(region, client);
          }
        });
    return builder.build();
  }

  /** Closes every client; the first failure is thrown once all were tried. */
  @Override
  public void close() {
    List<RuntimeException> failures = new ArrayList<>();
    for (DynamoDbClient client : clients.values()) {
      try {
        client.close();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }
}
