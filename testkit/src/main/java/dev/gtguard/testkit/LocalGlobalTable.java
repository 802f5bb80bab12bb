package dev.gtguard.testkit;

import dev.gtguard.testkit.internal.OriginInterceptor;
import dev.gtguard.testkit.internal.PairReplicator;
import dev.gtguard.testkit.internal.Quiescence;
import dev.gtguard.testkit.internal.Replica;
import dev.gtguard.testkit.internal.StreamPoller;
import dev.gtguard.testkit.internal.TableKeys;
import dev.gtguard.testkit.internal.Tables;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A DynamoDB Global Table (MREC) on your machine: one DynamoDB Local per region, the same tables in
 * each, and a replicator per ordered region pair that reads the source region's stream and applies
 * every change to the destination after a lag, resolving concurrent writes to an item the way the
 * service does, <b>last writer wins per item</b>: the whole item with the later origin timestamp
 * survives, the other write vanishes without an error.
 *
 * <p>Origin timestamps are kept out of band, never in the items: the clients this class hands out
 * stamp each write that changed an item as it is applied (an {@link ExecutionInterceptor}), because
 * DynamoDB Local's stream timestamps are far too coarse to order writes. Write through those
 * clients; a write that bypasses them is still replicated, stamped with the time its stream record
 * was read, and counted in {@link ReplicationStats#untracked()}.
 *
 * <pre>{@code
 * try (LocalGlobalTable global = LocalGlobalTable.builder()
 *     .regions("eu-west-1", "us-east-1")
 *     .lag(Lag.of(Duration.ofMillis(1000)))
 *     .start()) {
 *   String table = global.createTable("subscribers", "pk");
 *   global.client("eu-west-1").updateItem(...);   // the portal
 *   global.client("us-east-1").updateItem(...);   // the batch job, 49 ms later
 *   global.awaitQuiescence(Duration.ofSeconds(10));
 *   // every region now holds the same item: one of the two writes is gone
 * }
 * }</pre>
 *
 * <p>Controls: {@link #pause()}/{@link #resume()} all replication, {@link #partition}/{@link #heal}
 * a region pair, {@link #clockSkew} per region, {@link #lag} at run time, {@link #awaitQuiescence}
 * and {@link #stats()}.
 */
public final class LocalGlobalTable implements AutoCloseable {
  /** The regions a builder starts with. */
  public static final List<String> DEFAULT_REGIONS =
      List.of("eu-west-1", "us-east-1", "ap-southeast-1");

  private final Map<String, LocalDynamoDb> servers = new LinkedHashMap<>();
  private final Map<String, Replica> replicas = new LinkedHashMap<>();
  private final Map<String, DynamoDbClient> clients = new LinkedHashMap<>();
  private final Map<String, DynamoDbStreamsClient> streamClients = new LinkedHashMap<>();
  private final Map<String, StreamPoller> pollers = new LinkedHashMap<>();
  private final List<PairReplicator> pairs = new ArrayList<>();
  private final Map<String, TableKeys> tables = new ConcurrentHashMap<>();
  private final Set<Set<String>> partitions = ConcurrentHashMap.newKeySet();
  private final List<DynamoDbClient> extraClients = new CopyOnWriteArrayList<>();
  private final AtomicLong replicated = new AtomicLong();
  private final AtomicLong discarded = new AtomicLong();
  private final AtomicLong untracked = new AtomicLong();
  private final Quiescence quiescence = new Quiescence(replicas, pollers.values(), pairs, tables);
  private final Lag defaultLag;
  private volatile boolean paused;

  private LocalGlobalTable(Builder builder) {
    this.defaultLag = builder.lag;
    try {
      for (String region : builder.regions) {
        LocalDynamoDb server = builder.servers.get();
        servers.put(region, server);
        Replica replica = new Replica(region, server.newClient(Region.of(region)));
        replicas.put(region, replica);
        clients.put(region, stampedClient(region, null));
        streamClients.put(region, server.newStreamsClient(Region.of(region)));
      }
      for (String from : builder.regions) {
        List<PairReplicator> outgoing = new ArrayList<>();
        for (String to : builder.regions) {
          if (!from.equals(to)) {
            PairReplicator pair =
                new PairReplicator(
                    replicas.get(from), replicas.get(to), defaultLag, replicated, discarded);
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

  /** A builder with {@link #DEFAULT_REGIONS}, no lag and embedded DynamoDB Local servers. */
  public static Builder builder() {
    return new Builder();
  }

  /** The simulated regions, in the order they were configured. */
  public List<String> regions() {
    return List.copyOf(replicas.keySet());
  }

  /**
   * The client of one region; writes through it are stamped and replicated. Shared; do not close.
   *
   * @throws IllegalArgumentException for a region that is not simulated
   */
  public DynamoDbClient client(String region) {
    return clients.get(known(region));
  }

  /** The DynamoDB Streams client of one region, e.g. for a stream-reading detector. Shared. */
  public DynamoDbStreamsClient streamsClient(String region) {
    return streamClients.get(known(region));
  }

  /**
   * The DynamoDB Local behind one region. Writes through clients it hands out bypass the
   * simulator's stamping (they are still replicated, see {@link ReplicationStats#untracked()}).
   */
  public LocalDynamoDb server(String region) {
    return servers.get(known(region));
  }

  /**
   * A new client of one region that also runs the given interceptors (e.g. a {@link
   * RequestCounter}); writes through it are stamped and replicated like those of {@link
   * #client(String)}. Closed with this table.
   */
  public DynamoDbClient newClient(String region, ExecutionInterceptor... interceptors) {
    return newClient(region, null, interceptors);
  }

  /**
   * Creates a table with a string partition key in every region, and replicates it.
   *
   * @return the table's name: {@code prefix} plus a unique suffix
   */
  public String createTable(String prefix, String partitionKey) {
    return createTable(prefix, partitionKey, null);
  }

  /**
   * Creates a table with string partition and sort keys ({@code sortKey} may be null) in every
   * region, with streams of new and old images, and replicates it.
   *
   * @return the table's name: {@code prefix} plus a unique suffix
   */
  public String createTable(String prefix, String partitionKey, String sortKey) {
    return createTable(
        Tables.stringKeys(LocalDynamoDb.uniqueTableName(prefix), partitionKey, sortKey));
  }

  /**
   * Creates a table from your own request, under the name it gives, in every region, and replicates
   * it. Keys may be strings, numbers or binary; global and local secondary indexes are created in
   * every region and follow the replicated items. The stream is forced to {@code
   * NEW_AND_OLD_IMAGES} (replication reads new images), and a request naming neither a billing mode
   * nor a throughput gets {@code PAY_PER_REQUEST}. Give tests distinct names (e.g. {@link
   * LocalDynamoDb#uniqueTableName(String)}) when they share one instance.
   *
   * <pre>{@code
   * String table = global.createTable(CreateTableRequest.builder()
   *     .tableName(LocalDynamoDb.uniqueTableName("orders"))
   *     .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
   *     .attributeDefinitions(AttributeDefinition.builder()
   *         .attributeName("id").attributeType(ScalarAttributeType.N).build())
   *     .build());
   * }</pre>
   *
   * @return the table's name
   * @throws software.amazon.awssdk.services.dynamodb.model.DynamoDbException as DynamoDB Local
   *     refuses the request (e.g. a table of that name exists); the table is then in no region this
   *     call created it in
   */
  public String createTable(CreateTableRequest request) {
    CreateTableRequest replicable = Tables.replicable(request);
    String name = replicable.tableName();
    TableKeys keys = TableKeys.of(name, replicable.keySchema());
    Tables.createEverywhere(replicas.values().stream().map(r -> r.raw).toList(), replicable);
    tables.put(name, keys);
    pollers.values().forEach(p -> p.track(name));
    return name;
  }

  /** As {@link #createTable(CreateTableRequest)}, the request built by {@code request}. */
  public String createTable(Consumer<CreateTableRequest.Builder> request) {
    return createTable(CreateTableRequest.builder().applyMutation(request).build());
  }

  /** Holds back all replication; writes queue up until {@link #resume()}. */
  public void pause() {
    paused = true;
    updatePairs();
  }

  /** Lets replication flow again, queued changes first. */
  public void resume() {
    paused = false;
    updatePairs();
  }

  /** Cuts replication between two regions, both ways; their writes queue up until healed. */
  public void partition(String a, String b) {
    partitions.add(Set.of(known(a), known(b)));
    updatePairs();
  }

  /** Restores replication between two regions. */
  public void heal(String a, String b) {
    partitions.remove(Set.of(known(a), known(b)));
    updatePairs();
  }

  /** Restores replication between all regions. */
  public void healAll() {
    partitions.clear();
    updatePairs();
  }

  /** Shifts one region's clock, which stamps its writes: positive runs ahead. */
  public void clockSkew(String region, Duration skew) {
    replicas.get(known(region)).skew(skew.toMillis());
  }

  /** Sets the lag of every region pair, for changes queued from now on. */
  public void lag(Lag lag) {
    Objects.requireNonNull(lag, "lag");
    pairs.forEach(p -> p.lag(lag));
  }

  /** Sets the lag of one direction, for changes queued from now on. */
  public void lag(String from, String to, Lag lag) {
    Objects.requireNonNull(lag, "lag");
    known(from);
    known(to);
    pairs.stream().filter(p -> p.from().equals(from) && p.to().equals(to)).forEach(p -> p.lag(lag));
  }

  /** Undoes every control: replication flowing, no partitions, no skew, the built lag. */
  public void reset() {
    partitions.clear();
    paused = false;
    replicas.values().forEach(r -> r.skew(0));
    lag(defaultLag);
    updatePairs();
  }

  /**
   * Waits until every write made so far has been read from its stream and applied or discarded in
   * every other region, and all regions hold the same items.
   *
   * @throws IllegalStateException if that does not happen within {@code timeout} (for example while
   *     replication is paused or a pair is partitioned)
   */
  public void awaitQuiescence(Duration timeout) {
    quiescence.await(timeout);
  }

  /** What replication has done so far. */
  public ReplicationStats stats() {
    return new ReplicationStats(replicated.get(), discarded.get(), untracked.get());
  }

  /**
   * Every item of a table in one region, read strongly consistent, keyed by its key attributes.
   *
   * @throws IllegalArgumentException for a table not created through this class
   */
  public Map<Map<String, AttributeValue>, Map<String, AttributeValue>> scan(
      String region, String table) {
    return quiescence.scan(replicas.get(known(region)), table);
  }

  @Override
  public void close() {
    pollers.values().forEach(StreamPoller::close);
    pairs.forEach(PairReplicator::close);
    extraClients.forEach(DynamoDbClient::close);
    clients.values().forEach(DynamoDbClient::close);
    streamClients.values().forEach(DynamoDbStreamsClient::close);
    replicas.values().forEach(r -> r.raw.close());
    servers.values().forEach(LocalDynamoDb::close);
  }

  private void updatePairs() {
    for (PairReplicator pair : pairs) {
      pair.paused(paused || partitions.contains(Set.of(pair.from(), pair.to())));
    }
  }

  private String known(String region) {
    if (!replicas.containsKey(region)) {
      throw new IllegalArgumentException(
          "region " + region + " is not simulated; regions are " + replicas.keySet());
    }
    return region;
  }

  /** Builds and starts a {@link LocalGlobalTable}. */
  public static final class Builder {
    private List<String> regions = DEFAULT_REGIONS;
    private Lag lag = Lag.NONE;
    private Supplier<LocalDynamoDb> servers = EmbeddedDynamoDb::start;

    private Builder() {}

    /**
     * The regions to simulate, at least two, distinct.
     *
     * @throws IllegalArgumentException otherwise
     */
    public Builder regions(String... regions) {
      List<String> list = List.of(regions);
      if (list.size() < 2 || Set.copyOf(list).size() != list.size()) {
        throw new IllegalArgumentException("need at least two distinct regions, got " + list);
      }
      this.regions = list;
      return this;
    }

    /** The lag of every region pair. Default {@link Lag#NONE}. */
    public Builder lag(Lag lag) {
      this.lag = Objects.requireNonNull(lag, "lag");
      return this;
    }

    /**
     * Where each region's DynamoDB Local comes from: {@link EmbeddedDynamoDb#start()} by default,
     * or for example a started {@link DynamoDbLocalContainer} per region.
     */
    public Builder servers(Supplier<LocalDynamoDb> servers) {
      this.servers = Objects.requireNonNull(servers, "servers");
      return this;
    }

    /** Starts one server per region and the replicators. */
    public LocalGlobalTable start() {
      return new LocalGlobalTable(this);
    }
  }

  /**
   * As {@link #newClient(String, ExecutionInterceptor...)}, over the given HTTP client (e.g. a
   * {@link FaultInjectingHttpClient}), as {@link LocalDynamoDb#newClient(Region, SdkHttpClient,
   * ExecutionInterceptor...)} makes it; the HTTP client is closed with this table.
   */
  public DynamoDbClient newClient(
      String region, SdkHttpClient httpClient, ExecutionInterceptor... interceptors) {
    DynamoDbClient client = stampedClient(known(region), httpClient, interceptors);
    extraClients.add(client);
    return client;
  }

  /** The clients of all regions, by region name; shared, do not close. */
  public Map<String, DynamoDbClient> clients() {
    return Collections.unmodifiableMap(clients);
  }

  /**
   * A client whose writes are stamped; the origin stamp is taken after the caller's interceptors.
   */
  private DynamoDbClient stampedClient(
      String region, SdkHttpClient httpClient, ExecutionInterceptor... interceptors) {
    List<ExecutionInterceptor> all = new ArrayList<>(List.of(interceptors));
    all.add(new OriginInterceptor(replicas.get(region), tables::get));
    ExecutionInterceptor[] chain = all.toArray(ExecutionInterceptor[]::new);
    LocalDynamoDb server = servers.get(region);
    return httpClient == null
        ? server.newClient(Region.of(region), chain)
        : server.newClient(Region.of(region), httpClient, chain);
  }
}
