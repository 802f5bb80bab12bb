package dev.gtguard;

import static dev.gtguard.Items.item;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.f4b6a3.ulid.Ulid;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.ItemAlreadyExistsException;
import dev.gtguard.exception.OutcomeUnknownException;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spi.WriteSucceeded;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import dev.gtguard.testkit.RequestCounter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@link AsyncAppendOnlyTable} on DynamoDB Local: the blocking table's appends and outcomes. */
@DynamoDbLocalTest
class AsyncAppendOnlyTableTest {
  /** Loses the responses of the next {@code budget} puts after DynamoDB applied them. */
  private static final AtomicInteger lostResponses = new AtomicInteger();

  private static final RequestCounter requests = new RequestCounter();
  private static DynamoDbAsyncClient asyncClient;

  private final Set<String> listenerThreads = ConcurrentHashMap.newKeySet();
  private DynamoDbClient raw;
  private ExecutorService user;
  private String tableName;

  @BeforeAll
  static void startClient(LocalDynamoDb ddb) {
    ExecutionInterceptor loseResponse =
        new ExecutionInterceptor() {
          @Override
          public void afterTransmission(
              Context.AfterTransmission context, ExecutionAttributes attributes) {
            if (lostResponses.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              throw SdkClientException.create("injected: connection reset after the request");
            }
          }
        };
    asyncClient =
        DynamoDbAsyncClient.builder()
            .endpointOverride(ddb.endpoint())
            .region(Region.EU_WEST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .overrideConfiguration(
                o ->
                    o.addExecutionInterceptor(requests)
                        .addExecutionInterceptor(loseResponse)
                        .retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
  }

  @AfterAll
  static void closeClient() {
    asyncClient.close();
  }

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    raw = ddb.client();
    tableName = ddb.createTable("events", "pk", "sk");
    user = Executors.newSingleThreadExecutor(r -> new Thread(r, "gt-user"));
    lostResponses.set(0);
    requests.reset();
  }

  @AfterEach
  void tearDown() {
    user.shutdownNow();
  }

  private AsyncAppendOnlyTable events() {
    return AsyncAppendOnlyTable.builder()
        .client(asyncClient)
        .table(
            TableDescription.builder()
                .tableName(tableName)
                .partitionKey("pk")
                .sortKey("sk")
                .build())
        .executor(user)
        .listener(
            new WriteListener() {
              @Override
              public void onWriteSucceeded(WriteSucceeded event) {
                listenerThreads.add(Thread.currentThread().getName());
              }
            })
        .build();
  }

  private List<Map<String, AttributeValue>> all() {
    return raw.query(
            r ->
                r.tableName(tableName)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s("sub#1")))
                    .consistentRead(true))
        .items();
  }

  @Test
  void append_storesUnderAUlid_sameUlidTwiceAppendsOnce_otherContentIsRefused() throws Exception {
    AsyncAppendOnlyTable events = events();
    Ulid ulid = AppendOnlyTable.newUlid();

    ItemKey key =
        events.append(item("pk", s("sub#1"), "type", s("A")), ulid).get(10, TimeUnit.SECONDS);
    ItemKey again =
        events.append(item("pk", s("sub#1"), "type", s("A")), ulid).get(10, TimeUnit.SECONDS);

    assertThat(again).isEqualTo(key);
    assertThat(key.get("sk")).isEqualTo(s(ulid.toString()));
    assertThat(all()).hasSize(1);
    assertThatThrownBy(events.append(item("pk", s("sub#1"), "type", s("B")), ulid)::join)
        .cause()
        .isInstanceOf(ItemAlreadyExistsException.class);
    assertThat(listenerThreads).containsExactly("gt-user");
  }

  @Test
  void append_responseLostAfterTheWrite_sentAgainWithTheSameUlid_appendedOnce() throws Exception {
    lostResponses.set(1);

    ItemKey key = events().append(item("pk", s("sub#1"), "type", s("A"))).get(10, TimeUnit.SECONDS);

    assertThat(requests.snapshot()).containsEntry("PutItem", 2L);
    assertThat(all())
        .singleElement()
        .satisfies(i -> assertThat(i.get("sk")).isEqualTo(key.get("sk")));
  }

  @Test
  void append_everyResponseLost_outcomeUnknown_appendedOnce() {
    lostResponses.set(1000);

    assertThatThrownBy(
            () -> events().append(item("pk", s("sub#1"), "type", s("A"))).get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            OutcomeUnknownException.class, e -> assertThat(e.writeTokens()).hasSize(1));
    assertThat(requests.snapshot()).containsEntry("PutItem", 3L);
    assertThat(all()).hasSize(1);
  }

  @Test
  void append_badInput_completesExceptionally_sendsNothing() {
    assertThatThrownBy(events().append(item("pk", s("sub#1"), "sk", s("mine")))::join)
        .cause()
        .isInstanceOf(InvalidItemException.class);
    assertThat(requests.total()).isZero();
    assertThat(all()).isEmpty();
  }
}
