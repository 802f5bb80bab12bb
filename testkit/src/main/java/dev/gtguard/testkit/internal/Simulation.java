package dev.gtguard.testkit.internal;

import dev.gtguard.testkit.Lag;
import dev.gtguard.testkit.LocalDynamoDb;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The moving parts of a local Global Table: per region a server, a replica and its stream poller,
 * per ordered region pair a replicator, and the simulated tables. The public {@code
 * LocalGlobalTable} is a view of it.
 */
public final class Simulation implements AutoCloseable {
  public final Map<String, LocalDynamoDb> servers = new LinkedHashMap<>();
  public final Map<String, Replica> replicas = new LinkedHashMap<>();
  public final Map<String, DynamoDbClient> clients = new LinkedHashMap<>();
  public final Map<String, DynamoDbStreamsClient> streamClients = new LinkedHashMap<>();
  public final List<PairReplicator> pairs = new ArrayList<>();
  public final AtomicLong replicated = new AtomicLong();
  public final AtomicLong discarded = new AtomicLong();
  public final AtomicLong untracked = new AtomicLong();
  private final Map<String, StreamPoller> pollers = new LinkedHashMap<>();
  private final Map<String, TableKeys> tables = new ConcurrentHashMap<>();
  private final Set<Set<String>> partitions = ConcurrentHashMap.newKeySet();
  private final List<DynamoDbClient> extraClients = new CopyOnWriteArrayList<>();
  private final List<DynamoDbAsyncClient> extraAsyncClients = new CopyOnWriteArrayList<>();
  // Made on first use: Netty and an asynchronous client per region cost a test that uses none.
  private final Map<String, DynamoDbAsyncClient> asyncClients = new LinkedHashMap<>();
  private boolean closed; // guarded by asyncClients
  public final Quiescence quiescence = new Quiescence(replicas, pollers.values(), pairs, tables);
  private volatile boolean paused;

  /** Starts a server per region, and the pollers and replicators. */
  public Simulation(List<String> regions, Supplier<LocalDynamoDb> servers, Lag lag) {
    try {
      for (String region : regions) {
        LocalDynamoDb server = servers.get();
        this.servers.put(region, server);
        replicas.put(region, new Replica(region, server.newClient(Region.of(region))));
        clients.put(region, stampedClient(region, null));
        streamClients.put(region, server.newStreamsClient(Region.of(region)));
      }
      for (String from : regions) {
        List<PairReplicator> outgoing = new ArrayList<>();
        for (String to : regions) {
          if (!from.equals(to)) {
            PairReplicator pair =
                new PairReplicator(
                    replicas.get(from), replicas.get(to), lag, replicated, discarded);
            pairs.add(pair);
            outgoing.add(pair);
          }
        }
        pollers.put(
            from,
            new StreamPoller(
                replicas.get(from), streamClients.get(from), tables::get, outgoing, untracked));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The interceptor that stamps writes to one region's server. */
  public ExecutionInterceptor interceptor(String region) {
    return new OriginInterceptor(replicas.get(region), tables::get);
  }

  /**
   * A client whose writes are stamped; the origin stamp is taken after the caller's interceptors.
   */
  public DynamoDbClient stampedClient(
      String region, SdkHttpClient httpClient, ExecutionInterceptor... interceptors) {
    List<ExecutionInterceptor> all = new ArrayList<>(List.of(interceptors));
    all.add(interceptor(region));
    ExecutionInterceptor[] chain = all.toArray(ExecutionInterceptor[]::new);
    LocalDynamoDb server = servers.get(region);
    return httpClient == null
        ? server.newClient(Region.of(region), chain)
        : server.newClient(Region.of(region), httpClient, chain);
  }

  /** A stamped client closed with the simulation. */
  public DynamoDbClient extraClient(
      String region, SdkHttpClient httpClient, ExecutionInterceptor... interceptors) {
    DynamoDbClient client = stampedClient(region, httpClient, interceptors);
    extraClients.add(client);
    return client;
  }

  /** The shared asynchronous client of one region, stamped; made on first use. */
  public DynamoDbAsyncClient asyncClient(String region) {
    synchronized (asyncClients) {
      if (closed) {
        throw new IllegalStateException("the local Global Table is closed");
      }
      return asyncClients.computeIfAbsent(region, r -> stampedAsyncClient(r, null));
    }
  }

  /**
   * An asynchronous client whose writes are stamped, as {@link #stampedClient} makes a blocking
   * one; the items a write locks are released when its future completes, whatever the SDK calls.
   */
  public DynamoDbAsyncClient stampedAsyncClient(
      String region, SdkAsyncHttpClient httpClient, ExecutionInterceptor... interceptors) {
    List<ExecutionInterceptor> all = new ArrayList<>(List.of(interceptors));
    all.add(interceptor(region));
    ExecutionInterceptor[] chain = all.toArray(ExecutionInterceptor[]::new);
    LocalDynamoDb server = servers.get(region);
    return StampedAsyncClient.of(
        httpClient == null
            ? server.newAsyncClient(Region.of(region), chain)
            : server.newAsyncClient(Region.of(region), httpClient, chain));
  }

  /** A stamped asynchronous client closed with the simulation. */
  public DynamoDbAsyncClient extraAsyncClient(
      String region, SdkAsyncHttpClient httpClient, ExecutionInterceptor... interceptors) {
    DynamoDbAsyncClient client = stampedAsyncClient(region, httpClient, interceptors);
    extraAsyncClients.add(client);
    return client;
  }

  /** Creates a table in every region (see {@link Tables#replicable}) and replicates it. */
  public String createTable(CreateTableRequest request) {
    CreateTableRequest replicable = Tables.replicable(request);
    String name = replicable.tableName();
    TableKeys keys = TableKeys.of(name, replicable.keySchema());
    Tables.createEverywhere(replicas.values().stream().map(r -> r.raw).toList(), replicable);
    tables.put(name, keys);
    pollers.values().forEach(p -> p.track(name));
    return name;
  }

  /** Holds back or releases all replication. */
  public void paused(boolean paused) {
    this.paused = paused;
    updatePairs();
  }

  /** Cuts or restores replication between two regions, both ways. */
  public void partitioned(String a, String b, boolean cut) {
    if (cut) {
      partitions.add(Set.of(a, b));
    } else {
      partitions.remove(Set.of(a, b));
    }
    updatePairs();
  }

  /** Restores replication everywhere: no pause, no partition. */
  public void flowing() {
    partitions.clear();
    paused = false;
    updatePairs();
  }

  private void updatePairs() {
    for (PairReplicator pair : pairs) {
      pair.paused(paused || partitions.contains(Set.of(pair.from(), pair.to())));
    }
  }

  @Override
  public void close() {
    pollers.values().forEach(StreamPoller::close);
    pairs.forEach(PairReplicator::close);
    extraClients.forEach(DynamoDbClient::close);
    extraAsyncClients.forEach(DynamoDbAsyncClient::close);
    synchronized (asyncClients) {
      closed = true;
      asyncClients.values().forEach(DynamoDbAsyncClient::close);
    }
    clients.values().forEach(DynamoDbClient::close);
    streamClients.values().forEach(DynamoDbStreamsClient::close);
    replicas.values().forEach(r -> r.raw.close());
    servers.values().forEach(LocalDynamoDb::close);
  }
}
