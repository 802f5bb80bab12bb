package dev.gtguard.testkit;

import dev.gtguard.testkit.internal.SharedInstances;
import dev.gtguard.testkit.internal.Simulation;
import dev.gtguard.testkit.internal.Tables;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
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
 * and {@link #stats()}. Tables: string keys by name, or any table from your own {@link
 * #createTable(CreateTableRequest) CreateTableRequest}. One instance for a whole test suite or
 * Spring context: {@link #shared(String...)}, with {@link #endpoint(String)} for the application.
 */
public final class LocalGlobalTable implements AutoCloseable {
  /** The regions a builder starts with. */
  public static final List<String> DEFAULT_REGIONS =
      List.of("eu-west-1", "us-east-1", "ap-southeast-1");

  private static final SharedInstances<LocalGlobalTable> SHARED =
      new SharedInstances<>("gtguard-local-global-table", g -> g.sim.close());

  private final Simulation sim;
  private final Lag defaultLag;
  private volatile boolean shared;

  LocalGlobalTable(LocalGlobalTableBuilder builder) {
    this.defaultLag = builder.lag;
    this.sim = new Simulation(builder.regions, builder.servers, builder.lag);
  }

  /** A builder with {@link #DEFAULT_REGIONS}, no lag and embedded DynamoDB Local servers. */
  public static LocalGlobalTableBuilder builder() {
    return new LocalGlobalTableBuilder();
  }

  /** The simulated regions, in the order they were configured. */
  public List<String> regions() {
    return List.copyOf(sim.replicas.keySet());
  }

  /**
   * The client of one region; writes through it are stamped and replicated. Shared; do not close.
   *
   * @throws IllegalArgumentException for a region that is not simulated
   */
  public DynamoDbClient client(String region) {
    return sim.clients.get(known(region));
  }

  /**
   * The asynchronous client of one region: its writes are stamped and replicated as those of {@link
   * #client(String)} are, so the two can be mixed and last-writer-wins orders them by when they
   * were made. Made on first use (on Netty), shared, closed with this table; do not close it.
   *
   * <pre>{@code
   * CompletableFuture<PutItemResponse> put =
   *     global.asyncClient("us-east-1").putItem(r -> r.tableName(table).item(item));
   * put.join();
   * global.awaitQuiescence(Duration.ofSeconds(10));  // the item is in every region
   * }</pre>
   *
   * <p>A write holds its items' locks in this region from the call until its future completes, as a
   * blocking write does for its call: another write to the same item in this region, by any client
   * or by replication, waits for it, an asynchronous one in the calling thread before the call
   * returns its future. A write that still lands after its future completed without it, as after a
   * cancellation or an {@code apiCallTimeout}, is replicated as an {@linkplain
   * ReplicationStats#untracked() untracked} one.
   *
   * @throws IllegalArgumentException for a region that is not simulated
   * @throws IllegalStateException once this table is closed
   */
  public DynamoDbAsyncClient asyncClient(String region) {
    return sim.asyncClient(known(region));
  }

  /** The DynamoDB Streams client of one region, e.g. for a stream-reading detector. Shared. */
  public DynamoDbStreamsClient streamsClient(String region) {
    return sim.streamClients.get(known(region));
  }

  /**
   * The JVM-wide instance for these regions (in this order), without lag: started on the first
   * call, the same instance on every later call from any test class or Spring context, stopped when
   * the JVM exits. Its {@link #close()} does nothing. Tests sharing it should create their own
   * tables and, if they use the controls (pause, partitions, skew, lag), {@link #reset()} it before
   * each test and not run in parallel with each other.
   *
   * <p>An application under test reaches it through {@link #endpoint(String)}:
   *
   * <pre>{@code
   * @SpringBootTest
   * class CheckoutIT {
   *   static final LocalGlobalTable GLOBAL = LocalGlobalTable.shared("us-east-1", "eu-west-1");
   *   static final String TABLE = GLOBAL.createTable("orders", "pk");
   *
   *   @DynamicPropertySource
   *   static void dynamoDb(DynamicPropertyRegistry registry) {
   *     registry.add("gtguard.regions[0].endpoint", () -> GLOBAL.endpoint("us-east-1"));
   *     registry.add("gtguard.regions[1].endpoint", () -> GLOBAL.endpoint("eu-west-1"));
   *     registry.add("orders.table", () -> TABLE);
   *   }
   * }
   * }</pre>
   *
   * <p>Create the application's tables through {@link #createTable(CreateTableRequest)}, as above,
   * before the application starts: a table it creates itself exists in one region only and is not
   * replicated.
   *
   * <p>A client the application builds from the endpoint alone bypasses the stamping of {@link
   * #client(String)}: its writes still replicate, but each is stamped when the simulator reads its
   * stream record, a few milliseconds late (so between two near-simultaneous writes the order of
   * reading, not of writing, decides last-writer-wins), and is counted in {@link
   * ReplicationStats#untracked()}. Add {@link #interceptor(String)} to such a client to stamp its
   * writes as they are made.
   *
   * @throws IllegalArgumentException unless at least two distinct regions are given
   */
  public static LocalGlobalTable shared(String... regions) {
    LocalGlobalTableBuilder builder = builder().regions(regions);
    return SHARED.get(builder.regions, k -> builder.start().makeShared());
  }

  /** The HTTP endpoint of one region's DynamoDB Local, for a client you build yourself. */
  public URI endpoint(String region) {
    return sim.servers.get(known(region)).endpoint();
  }

  /**
   * The interceptor that stamps writes with their origin time, as the clients of {@link
   * #client(String)} do, for a client you build yourself on {@link #endpoint(String) the endpoint
   * of the same region}; add it after your own interceptors. Writes through such a client are then
   * ordered by when they were made, and not counted as {@linkplain ReplicationStats#untracked()
   * untracked}.
   *
   * <pre>{@code
   * DynamoDbClient mine = DynamoDbClient.builder()
   *     .endpointOverride(global.endpoint("us-east-1"))
   *     .region(Region.US_EAST_1)
   *     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
   *     .overrideConfiguration(c -> c.addExecutionInterceptor(global.interceptor("us-east-1")))
   *     .build();
   * }</pre>
   *
   * <p>In a {@link DynamoDbAsyncClient} of your own it stamps writes as well, with one gap: the SDK
   * tells interceptors nothing when an asynchronous call ends by its {@code apiCallTimeout}, so the
   * items such a write locked stay locked, and every later write to them in this region,
   * replication's included, waits for ever. Give such a client no {@code apiCallTimeout}, or use
   * {@link #asyncClient(String)} or {@link #newAsyncClient(String, ExecutionInterceptor...)}, whose
   * clients release the items when the call's future completes.
   */
  public ExecutionInterceptor interceptor(String region) {
    return sim.interceptor(known(region));
  }

  /**
   * The DynamoDB Local behind one region. Writes through clients it hands out bypass the
   * simulator's stamping (they are still replicated, see {@link ReplicationStats#untracked()}).
   */
  public LocalDynamoDb server(String region) {
    return sim.servers.get(known(region));
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
   * A new asynchronous client of one region that also runs the given interceptors (e.g. a {@link
   * RequestCounter}), as {@link LocalDynamoDb#newAsyncClient(Region, ExecutionInterceptor...)}
   * makes it; writes through it are stamped and replicated like those of {@link
   * #asyncClient(String)}. Closed with this table.
   *
   * <pre>{@code
   * RequestCounter counter = new RequestCounter();
   * DynamoDbAsyncClient counted = global.newAsyncClient("eu-west-1", counter);
   * counted.updateItem(r -> r.tableName(table).key(key).updateExpression("ADD n :one")
   *     .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).join();
   * }</pre>
   */
  public DynamoDbAsyncClient newAsyncClient(String region, ExecutionInterceptor... interceptors) {
    return newAsyncClient(region, null, interceptors);
  }

  /**
   * As {@link #newAsyncClient(String, ExecutionInterceptor...)}, over the given HTTP client (e.g. a
   * {@link FaultInjectingAsyncHttpClient}), as {@link LocalDynamoDb#newAsyncClient(Region,
   * SdkAsyncHttpClient, ExecutionInterceptor...)} makes it; the HTTP client is closed with this
   * table.
   *
   * <pre>{@code
   * FaultInjectingAsyncHttpClient faults = new FaultInjectingAsyncHttpClient();
   * DynamoDbAsyncClient async = global.newAsyncClient("eu-west-1", faults);
   * // The connection is refused; meanwhile another writer in the region updates the item.
   * faults.inject("UpdateItem", Fault.refuseConnection(), 1,
   *     () -> global.client("eu-west-1").updateItem(...));
   * async.updateItem(...).join();
   * }</pre>
   */
  public DynamoDbAsyncClient newAsyncClient(
      String region, SdkAsyncHttpClient httpClient, ExecutionInterceptor... interceptors) {
    return sim.extraAsyncClient(known(region), httpClient, interceptors);
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
    return sim.createTable(request);
  }

  /** As {@link #createTable(CreateTableRequest)}, the request built by {@code request}. */
  public String createTable(Consumer<CreateTableRequest.Builder> request) {
    return createTable(CreateTableRequest.builder().applyMutation(request).build());
  }

  /** Holds back all replication; writes queue up until {@link #resume()}. */
  public void pause() {
    sim.paused(true);
  }

  /** Lets replication flow again, queued changes first. */
  public void resume() {
    sim.paused(false);
  }

  /** Cuts replication between two regions, both ways; their writes queue up until healed. */
  public void partition(String a, String b) {
    sim.partitioned(known(a), known(b), true);
  }

  /** Restores replication between two regions. */
  public void heal(String a, String b) {
    sim.partitioned(known(a), known(b), false);
  }

  /** Restores replication between all regions. */
  public void healAll() {
    sim.flowing();
  }

  /** Shifts one region's clock, which stamps its writes: positive runs ahead. */
  public void clockSkew(String region, Duration skew) {
    sim.replicas.get(known(region)).skew(skew.toMillis());
  }

  /** Sets the lag of every region pair, for changes queued from now on. */
  public void lag(Lag lag) {
    Objects.requireNonNull(lag, "lag");
    sim.pairs.forEach(p -> p.lag(lag));
  }

  /** Sets the lag of one direction, for changes queued from now on. */
  public void lag(String from, String to, Lag lag) {
    Objects.requireNonNull(lag, "lag");
    known(from);
    known(to);
    sim.pairs.stream()
        .filter(p -> p.from().equals(from) && p.to().equals(to))
        .forEach(p -> p.lag(lag));
  }

  /** Undoes every control: replication flowing, no partitions, no skew, the built lag. */
  public void reset() {
    sim.flowing();
    sim.replicas.values().forEach(r -> r.skew(0));
    lag(defaultLag);
  }

  /**
   * Waits until every write made so far has been read from its stream and applied or discarded in
   * every other region, and all regions hold the same items.
   *
   * @throws IllegalStateException if that does not happen within {@code timeout} (for example while
   *     replication is paused or a pair is partitioned)
   */
  public void awaitQuiescence(Duration timeout) {
    sim.quiescence.await(timeout);
  }

  /** What replication has done so far. */
  public ReplicationStats stats() {
    return new ReplicationStats(sim.replicated.get(), sim.discarded.get(), sim.untracked.get());
  }

  /**
   * Every item of a table in one region, read strongly consistent, keyed by its key attributes.
   *
   * @throws IllegalArgumentException for a table not created through this class
   */
  public Map<Map<String, AttributeValue>, Map<String, AttributeValue>> scan(
      String region, String table) {
    return sim.quiescence.scan(sim.replicas.get(known(region)), table);
  }

  /** Stops replication and the servers; does nothing on a {@link #shared} instance. */
  @Override
  public void close() {
    if (!shared) {
      sim.close();
    }
  }

  private LocalGlobalTable makeShared() {
    shared = true;
    return this;
  }

  private String known(String region) {
    if (!sim.replicas.containsKey(region)) {
      throw new IllegalArgumentException(
          "region " + region + " is not simulated; regions are " + sim.replicas.keySet());
    }
    return region;
  }

  /**
   * As {@link #newClient(String, ExecutionInterceptor...)}, over the given HTTP client (e.g. a
   * {@link FaultInjectingHttpClient}), as {@link LocalDynamoDb#newClient(Region, SdkHttpClient,
   * ExecutionInterceptor...)} makes it; the HTTP client is closed with this table.
   */
  public DynamoDbClient newClient(
      String region, SdkHttpClient httpClient, ExecutionInterceptor... interceptors) {
    return sim.extraClient(known(region), httpClient, interceptors);
  }

  /** The clients of all regions, by region name; shared, do not close. */
  public Map<String, DynamoDbClient> clients() {
    return Collections.unmodifiableMap(sim.clients);
  }

  /**
   * The {@linkplain #asyncClient(String) asynchronous clients} of all regions, by region name, in
   * the order of {@link #regions()}; shared, do not close.
   *
   * <pre>{@code
   * List<CompletableFuture<PutItemResponse>> puts = global.asyncClients().values().stream()
   *     .map(c -> c.putItem(r -> r.tableName(table).item(item)))
   *     .toList();
   * }</pre>
   *
   * @throws IllegalStateException once this table is closed
   */
  public Map<String, DynamoDbAsyncClient> asyncClients() {
    Map<String, DynamoDbAsyncClient> all = new LinkedHashMap<>();
    for (String region : regions()) {
      all.put(region, asyncClient(region));
    }
    return Collections.unmodifiableMap(all);
  }
}
