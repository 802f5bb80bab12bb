package dev.gtguard.iam;

import static dev.gtguard.Items.increment;
import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.f4b6a3.ulid.UlidCreator;
import dev.gtguard.AppendOnlyTable;
import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.ReadConsistency;
import dev.gtguard.TableDescription;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.VersionedTableBuilder;
import dev.gtguard.detect.DynamoDbCheckpointStore;
import dev.gtguard.detect.StreamDetector;
import dev.gtguard.detect.StreamLostWritePoller;
import dev.gtguard.internal.ledger.DynamoJson;
import dev.gtguard.internal.ledger.LedgerEntries;
import dev.gtguard.ledger.Reconciler;
import dev.gtguard.ledger.RepairMode;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.Fault;
import dev.gtguard.testkit.FaultInjectingHttpClient;
import dev.gtguard.testkit.LocalDynamoDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The policies in {@code docs/iam/} grant exactly what each component calls: every component runs
 * its paths on DynamoDB Local (faults included) through a client that records each IAM action and
 * the table it acts on (a transaction counts as the actions of its items, as IAM evaluates it), and
 * the policy must allow every one of them and nothing else.
 */
@DynamoDbLocalTest
class IamPolicyTest {
  private static final Path POLICIES = Path.of("..", "docs", "iam");

  private final Recorder recorder = new Recorder();
  private LocalDynamoDb ddb;
  private String tableName;
  private String ledgerName;

  @BeforeEach
  void setUp(LocalDynamoDb ddb) {
    this.ddb = ddb;
    tableName = ddb.createTable("subscribers", "pk");
    ledgerName = ddb.createTable("ledger", "pk", "sk");
  }

  private Map<String, String> roles() {
    return Map.of(tableName, "${TableName}", ledgerName, "${LedgerTableName}");
  }

  @Test
  void versionedWriter_withLedger_everyPathAndAResolvedLostResponse() {
    FaultInjectingHttpClient faults = new FaultInjectingHttpClient(Apache5HttpClient.create());
    WriteLedger ledger = WriteLedger.builder().tableName(ledgerName).build();
    try (DynamoDbClient client = ddb.newClient(Region.EU_WEST_1, faults, recorder)) {
      VersionedTable plain = table(client, null);
      VersionedTable ledgered = table(client, ledger);
      for (VersionedTable table : List.of(plain, ledgered)) {
        String id = table == plain ? "plain" : "ledgered";
        ItemKey key = ItemKey.of("pk", id);
        VersionedItem v1 = table.create(item("pk", s(id), "count", n(0)));
        VersionedItem v2 = table.update(v1, increment()).item();
        VersionedItem v3 = table.update(key, v2.expected(), Changes.builder().set("a", 1).build());
        table.update(key, increment());
        table.get(key, ReadConsistency.STRONG);
        table.scanLocal().count();
        table.delete(key, table.get(key, ReadConsistency.STRONG).orElseThrow().expected());
        assertThat(v3.version()).isEqualTo(3);
      }
      // A lost response, and two writes built on it before the library could look: only the
      // ledger entry proves it applied.
      ledgered.create(item("pk", s("lost"), "count", n(0)));
      VersionedTable other = table(ddb.client(), ledger);
      java.util.concurrent.atomic.AtomicBoolean once =
          new java.util.concurrent.atomic.AtomicBoolean();
      faults.inject(
          "TransactWriteItems",
          Fault.dropResponse(),
          100,
          () -> {
            if (once.compareAndSet(false, true)) {
              other.update(ItemKey.of("pk", "lost"), increment());
              other.update(ItemKey.of("pk", "lost"), increment());
            }
          });
      ledgered.update(ItemKey.of("pk", "lost"), increment());
    }

    assertGrantsExactly("versioned-writer.json", recorder.used(roles()));
  }

  @Test
  void appendOnlyWriter() {
    String events = ddb.createTable("events", "pk", "sk");
    try (DynamoDbClient client = ddb.newClient(Region.EU_WEST_1, recorder)) {
      AppendOnlyTable.builder()
          .client(client)
          .table(
              TableDescription.builder().tableName(events).partitionKey("pk").sortKey("sk").build())
          .build()
          .append(item("pk", s("sub#1"), "type", s("ADDRESS_CHANGED")));
    }

    assertGrantsExactly(
        "append-only-writer.json", recorder.used(Map.of(events, "${AppendTableName}")));
  }

  @Test
  void reconciler_dryRunAndApply() {
    WriteLedger ledger = WriteLedger.builder().tableName(ledgerName).build();
    VersionedTable writer = table(ddb.client(), ledger);
    VersionedItem v1 = writer.create(item("pk", s("sub#1"), "count", n(0)));
    writer.update(v1, increment());
    // A sibling of version 2 in the ledger: a write that lost (as replication would make it).
    ddb.client()
        .putItem(
            r ->
                r.tableName(ledgerName)
                    .item(
                        LedgerEntries.entry(
                            ledger,
                            UlidCreator.getMonotonicUlid().toString(),
                            tableName,
                            ItemKey.of("pk", "sub#1"),
                            "UPDATE",
                            2,
                            "lost-token",
                            v1.writeToken().orElseThrow(),
                            "eu-west-1",
                            Changes.builder().set("plan", "pro").build(),
                            false,
                            null)));

    try (DynamoDbClient client = ddb.newClient(Region.EU_WEST_1, recorder)) {
      reconciler(client, ledger, RepairMode.DRY_RUN).run();
      assertGrantsExactly("reconciler-dry-run.json", recorder.used(roles()));
      recorder.clear();

      Reconciler.Report applied = reconciler(client, ledger, RepairMode.APPLY).run();
      assertThat(applied.lostCount()).isEqualTo(1);
      assertGrantsExactly("reconciler-apply.json", recorder.used(roles()));
    }
  }

  @Test
  void streamPoller_withDynamoDbCheckpoints() {
    String checkpoints = ddb.createTable("checkpoints", "pk");
    VersionedTable writer = table(ddb.client(), null);
    VersionedItem v1 = writer.create(item("pk", s("sub#1"), "count", n(0)));
    writer.update(v1, increment());
    try (DynamoDbClient client = ddb.newClient(Region.EU_WEST_1, recorder);
        DynamoDbStreamsClient streams =
            DynamoDbStreamsClient.builder()
                .endpointOverride(ddb.endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("l", "l")))
                .overrideConfiguration(o -> o.addExecutionInterceptor(recorder))
                .build();
        StreamLostWritePoller poller =
            StreamLostWritePoller.builder()
                .detector(
                    StreamDetector.builder()
                        .table(TableDescription.of(tableName, "pk"))
                        .region("eu-west-1")
                        .build())
                .dynamoDbClient(client)
                .streamsClient(streams)
                .checkpointStore(
                    DynamoDbCheckpointStore.builder().client(client).tableName(checkpoints).build())
                .build()) {
      poller.pollOnce();
    }

    Map<String, String> roles =
        Map.of(tableName, "${TableName}", checkpoints, "${CheckpointTableName}");
    assertGrantsExactly("stream-poller.json", recorder.used(roles));
  }

  @Test
  void lambdaStreamHandler_callsNothingItself_policyIsTheEventSourceMappings() throws IOException {
    // The adapter works on the event Lambda hands it and has no client; the event source mapping
    // reads the stream with the function's role.
    assertThat(grants("lambda-stream-handler.json"))
        .containsExactlyInAnyOrder(
            "dynamodb:DescribeStream@${TableName}/stream/*",
            "dynamodb:GetRecords@${TableName}/stream/*",
            "dynamodb:GetShardIterator@${TableName}/stream/*",
            "dynamodb:ListStreams@${TableName}/stream/*");
  }

  private VersionedTable table(DynamoDbClient client, WriteLedger ledger) {
    VersionedTableBuilder table =
        VersionedTable.builder().client(client).tableName(tableName).partitionKey("pk");
    return (ledger == null ? table : table.ledger(ledger)).build();
  }

  private Reconciler reconciler(DynamoDbClient client, WriteLedger ledger, RepairMode mode) {
    return Reconciler.builder()
        .ledger(ledger)
        .ledgerClient(client)
        .table(table(client, ledger))
        .repair(mode)
        .settleTime(Duration.ZERO)
        .build();
  }

  private static void assertGrantsExactly(String policy, Set<String> used) {
    try {
      assertThat(grants(policy)).as(policy).containsExactlyInAnyOrderElementsOf(used);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Every {@code action@resource} a policy allows, the resource as the part after "table/". */
  @SuppressWarnings("unchecked")
  private static Set<String> grants(String policy) throws IOException {
    Map<String, Object> json =
        (Map<String, Object>) DynamoJson.parse(Files.readString(POLICIES.resolve(policy)));
    assertThat(json.get("Version")).isEqualTo("2012-10-17");
    Set<String> grants = new TreeSet<>();
    for (Object s : (List<Object>) json.get("Statement")) {
      Map<String, Object> statement = (Map<String, Object>) s;
      assertThat(statement.get("Effect")).isEqualTo("Allow");
      String resource = (String) statement.get("Resource");
      String table = resource.substring(resource.indexOf("table/") + "table/".length());
      for (Object action : (List<Object>) statement.get("Action")) {
        grants.add(action + "@" + table);
      }
    }
    return grants;
  }

  /** Records every IAM action a client's requests need, with the table each acts on. */
  private static final class Recorder implements ExecutionInterceptor {
    private static final String STREAM = "<the stream read>";

    private final Set<String[]> used = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      SdkRequest request = context.request();
      if (request instanceof TransactWriteItemsRequest transaction) {
        for (TransactWriteItem item : transaction.transactItems()) {
          if (item.put() != null) {
            record("PutItem", item.put().tableName());
          } else if (item.update() != null) {
            record("UpdateItem", item.update().tableName());
          } else if (item.delete() != null) {
            record("DeleteItem", item.delete().tableName());
          } else {
            record("ConditionCheckItem", item.conditionCheck().tableName());
          }
        }
      } else if (request instanceof GetItemRequest r) {
        record("GetItem", r.tableName());
      } else if (request instanceof PutItemRequest r) {
        record("PutItem", r.tableName());
      } else if (request instanceof UpdateItemRequest r) {
        record("UpdateItem", r.tableName());
      } else if (request instanceof DeleteItemRequest r) {
        record("DeleteItem", r.tableName());
      } else if (request instanceof QueryRequest r) {
        record("Query", r.tableName());
      } else if (request instanceof ScanRequest r) {
        record("Scan", r.tableName());
      } else if (request instanceof DescribeTableRequest r) {
        record("DescribeTable", r.tableName());
      } else if (request instanceof DescribeStreamRequest r) {
        record("DescribeStream", stream(r.streamArn()));
      } else if (request instanceof GetShardIteratorRequest r) {
        record("GetShardIterator", stream(r.streamArn()));
      } else if (request instanceof GetRecordsRequest r) {
        // The iterator names no stream; the poller only ever reads its table's.
        record("GetRecords", STREAM);
      } else {
        throw new AssertionError("no IAM mapping for " + request.getClass().getSimpleName());
      }
    }

    /** The table a stream ARN belongs to, as {@code <table>/stream/*}. */
    private String stream(String arn) {
      String table =
          arn.substring(arn.indexOf("table/") + "table/".length(), arn.indexOf("/stream/"));
      streamTable = table;
      return table + "/stream/*";
    }

    private volatile String streamTable;

    private void record(String action, String table) {
      used.add(new String[] {action, table});
    }

    Set<String> used(Map<String, String> roles) {
      Set<String> grants = new HashSet<>();
      for (String[] use : used) {
        String table = use[1].equals(STREAM) ? streamTable + "/stream/*" : use[1];
        String resource =
            table.endsWith("/stream/*")
                ? roles.getOrDefault(table.substring(0, table.indexOf('/')), table) + "/stream/*"
                : roles.getOrDefault(table, table);
        grants.add("dynamodb:" + use[0] + "@" + resource);
      }
      return grants;
    }

    void clear() {
      used.clear();
    }
  }
}
