package dev.gtguard.testkit;

import dev.gtguard.testkit.internal.NettyClients;
import dev.gtguard.testkit.internal.Tables;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A running DynamoDB Local: embedded in the test JVM ({@link EmbeddedDynamoDb}) or in a Docker
 * container ({@link DynamoDbLocalContainer}). Hands out real SDK clients that talk HTTP to it, so
 * execution interceptors, retries and marshalling all run as they would against AWS.
 *
 * <pre>{@code
 * @DynamoDbLocalTest
 * class SubscriberTest {
 *   @Test
 *   void writes(LocalDynamoDb ddb) {
 *     String table = ddb.createTable("subscribers", "pk");
 *     ddb.client().putItem(r -> r.tableName(table).item(...));
 *   }
 * }
 * }</pre>
 */
public interface LocalDynamoDb extends AutoCloseable {

  /**
   * How many attempts the SDK's default retry strategy makes for a DynamoDB call (measured on SDK
   * 2.54). Replacing the backoff through a retry strategy configurator resets it to the generic
   * default, so clients over a given HTTP client set it again.
   */
  int DYNAMODB_SDK_ATTEMPTS = 9;

  /** The HTTP endpoint, on loopback for the embedded server. */
  URI endpoint();

  /** A shared client for region eu-west-1; do not close it. */
  DynamoDbClient client();

  /**
   * A new client for this endpoint that reports {@code region} and runs the given interceptors,
   * e.g. one that counts requests. The caller closes it.
   */
  default DynamoDbClient newClient(Region region, ExecutionInterceptor... interceptors) {
    return clientBuilder(endpoint(), region, List.of(interceptors), override -> {})
        .httpClientBuilder(Apache5HttpClient.builder().maxConnections(128))
        .build();
  }

  /**
   * A new client for this endpoint over the given HTTP client, e.g. a {@link
   * FaultInjectingHttpClient}. The SDK's retries stay on with DynamoDB's default number of attempts
   * ({@value #DYNAMODB_SDK_ATTEMPTS}), but back off for at most 20 ms, so that tests of faults stay
   * fast. Closing the client closes the HTTP client.
   */
  default DynamoDbClient newClient(
      Region region, SdkHttpClient httpClient, ExecutionInterceptor... interceptors) {
    return clientBuilder(endpoint(), region, List.of(interceptors), LocalDynamoDb::quickRetries)
        // As a builder, so that the SDK owns the HTTP client and closes it with the SDK client.
        .httpClientBuilder(serviceDefaults -> httpClient)
        .build();
  }

  /**
   * A new asynchronous client for this endpoint that reports {@code region} and runs the given
   * interceptors, as {@link #newClient(Region, ExecutionInterceptor...)} makes a blocking one, over
   * a Netty HTTP client (up to 128 connections) on an event loop group the testkit shares, so that
   * closing the client is instant. The caller closes it.
   *
   * <pre>{@code
   * try (DynamoDbAsyncClient async = ddb.newAsyncClient(Region.EU_WEST_1, counter)) {
   *   async.putItem(r -> r.tableName(table).item(item)).join();
   * }
   * }</pre>
   */
  default DynamoDbAsyncClient newAsyncClient(Region region, ExecutionInterceptor... interceptors) {
    return asyncClientBuilder(endpoint(), region, List.of(interceptors), override -> {})
        .httpClientBuilder(NettyClients.builder())
        .build();
  }

  /**
   * A new asynchronous client for this endpoint over the given HTTP client, e.g. a {@link
   * FaultInjectingAsyncHttpClient}, with the retries of {@link #newClient(Region, SdkHttpClient,
   * ExecutionInterceptor...)}: DynamoDB's default number of attempts ({@value
   * #DYNAMODB_SDK_ATTEMPTS}), backing off for at most 20 ms, so that tests of faults stay fast.
   * Closing the client closes the HTTP client.
   *
   * <pre>{@code
   * FaultInjectingAsyncHttpClient faults = new FaultInjectingAsyncHttpClient();
   * try (DynamoDbAsyncClient async = ddb.newAsyncClient(Region.EU_WEST_1, faults)) {
   *   faults.inject("UpdateItem", Fault.dropResponse(), 1);
   *   async.updateItem(r -> r.tableName(table).key(key).updateExpression("ADD n :one")
   *       .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).join();
   *   // applied twice: the SDK retried the request whose response was lost
   * }
   * }</pre>
   */
  default DynamoDbAsyncClient newAsyncClient(
      Region region, SdkAsyncHttpClient httpClient, ExecutionInterceptor... interceptors) {
    return asyncClientBuilder(
            endpoint(), region, List.of(interceptors), LocalDynamoDb::quickRetries)
        // As a builder, so that the SDK owns the HTTP client and closes it with the SDK client.
        .httpClientBuilder(serviceDefaults -> httpClient)
        .build();
  }

  /** A new DynamoDB Streams client for this endpoint that reports {@code region}. */
  default DynamoDbStreamsClient newStreamsClient(Region region) {
    return DynamoDbStreamsClient.builder()
        .endpointOverride(endpoint())
        .region(region)
        .credentialsProvider(credentials())
        .build();
  }

  private static DynamoDbClientBuilder clientBuilder(
      URI endpoint,
      Region region,
      List<ExecutionInterceptor> interceptors,
      Consumer<ClientOverrideConfiguration.Builder> override) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(region)
        .credentialsProvider(credentials())
        .overrideConfiguration(overrides(interceptors, override));
  }

  private static DynamoDbAsyncClientBuilder asyncClientBuilder(
      URI endpoint,
      Region region,
      List<ExecutionInterceptor> interceptors,
      Consumer<ClientOverrideConfiguration.Builder> override) {
    return DynamoDbAsyncClient.builder()
        .endpointOverride(endpoint)
        .region(region)
        .credentialsProvider(credentials())
        .overrideConfiguration(overrides(interceptors, override));
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
  }

  private static ClientOverrideConfiguration overrides(
      List<ExecutionInterceptor> interceptors,
      Consumer<ClientOverrideConfiguration.Builder> override) {
    return ClientOverrideConfiguration.builder()
        .executionInterceptors(interceptors)
        .applyMutation(override)
        .build();
  }

  /** DynamoDB's number of attempts, backing off for at most 20 ms. */
  private static void quickRetries(ClientOverrideConfiguration.Builder override) {
    BackoffStrategy quick =
        BackoffStrategy.exponentialDelay(Duration.ofMillis(1), Duration.ofMillis(20));
    override.retryStrategy(
        retry ->
            retry
                .maxAttempts(DYNAMODB_SDK_ATTEMPTS)
                .backoffStrategy(quick)
                .throttlingBackoffStrategy(quick));
  }

  /**
   * Creates a table with a unique name derived from {@code prefix}, a string partition key, and a
   * stream of new and old images; returns its name.
   */
  default String createTable(String prefix, String partitionKey) {
    return createTable(prefix, partitionKey, null);
  }

  /**
   * Creates a table with a unique name derived from {@code prefix}, string partition and sort keys
   * ({@code sortKey} may be null), and a stream of new and old images; returns its name.
   */
  default String createTable(String prefix, String partitionKey, String sortKey) {
    String name = uniqueTableName(prefix);
    createTable(client(), name, partitionKey, sortKey);
    return name;
  }

  /** {@code prefix} plus a random suffix: tests sharing one server never share a table. */
  static String uniqueTableName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates a pay-per-request table with string keys and a NEW_AND_OLD_IMAGES stream. */
  static void createTable(DynamoDbClient client, String name, String partitionKey, String sortKey) {
    client.createTable(Tables.stringKeys(name, partitionKey, sortKey));
  }

  /**
   * Creates a table from your own request, under the name it gives: keys of any type, secondary
   * indexes, as the request says; the stream is forced to {@code NEW_AND_OLD_IMAGES}, and a request
   * naming neither a billing mode nor a throughput gets {@code PAY_PER_REQUEST}.
   *
   * @return the table's name
   */
  default String createTable(CreateTableRequest request) {
    CreateTableRequest replicable = Tables.replicable(request);
    client().createTable(replicable);
    return replicable.tableName();
  }

  /** Stops the server and closes the shared client. */
  @Override
  void close();
}
