package dev.gtguard.benchmarks;

import static dev.gtguard.benchmarks.OverheadItems.COUNT;
import static dev.gtguard.benchmarks.OverheadItems.HELD_TOKEN;
import static dev.gtguard.benchmarks.OverheadItems.NEXT_TOKEN;
import static dev.gtguard.benchmarks.OverheadItems.TABLE;
import static dev.gtguard.benchmarks.OverheadItems.VERSION;

import dev.gtguard.Changes;
import dev.gtguard.UpdateFunction;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * What the library costs per uncontended update on top of the SDK call, in CPU time and allocation.
 * Every mode calls the real SDK client, whose HTTP client is a {@link StubDynamoDbHttpClient}: the
 * whole SDK pipeline runs, only the network and the server are left out. For an item of 6 and of
 * 200 numeric attributes:
 *
 * <ul>
 *   <li>{@code raw}: {@code client.updateItem} of the request {@code VersionedTable.update(held,
 *       fn)} sends (same update expression, condition, names, values, {@code ReturnValues=ALL_NEW},
 *       {@code ReturnValuesOnConditionCheckFailure=ALL_OLD}), built by hand per call, with a fixed
 *       write token (the library draws a ULID per attempt);
 *   <li>{@code library}: {@link VersionedTable#update(VersionedItem, UpdateFunction)}, the function
 *       setting {@code count} to one more than the held item's;
 *   <li>{@code enhanced}: the Enhanced Client's {@code updateItem} of the item as a record whose
 *       {@code version} the SDK's {@code VersionedRecordExtension} manages ({@link Subscriber}, a
 *       bean; {@link WideRecord}, a {@code StaticTableSchema}), {@code count} set to the same
 *       value.
 * </ul>
 *
 * <p>The stub answers every UpdateItem with the same item at version 18 (the held one is at 17): it
 * checks no condition, so each call sends the same held item (or record) again and succeeds at the
 * first attempt. Each mode gets the same response bytes; the enhanced schema ignores the two token
 * attributes in it.
 *
 * <p>Warm-up is 20 s: on a 2-core machine the SDK pipeline takes 10 to 20 s of calls before its
 * time per call settles (3 s left the 200-attribute modes still several times slower).
 *
 * <p>{@link #main} checks the request shapes ({@link OverheadReport#check}), runs the benchmarks
 * with the GC profiler and prints a summary table; {@code ./mvnw -q -o -Pbench-overhead -DskipTests
 * verify -pl benchmarks -am} runs it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 20, time = 1)
@Measurement(iterations = 5, time = 1)
public class UpdateOverheadBenchmark {
  /** What {@code library} applies: {@code count} one higher than in the item it is given. */
  static final UpdateFunction ADD_ONE =
      item -> Changes.builder().set("count", Long.parseLong(item.get("count").n()) + 1).build();

  /** The item's size: 6 attributes, or 200 numbers besides its key and version. */
  @Param({"6", "200"})
  public int attributes;

  private DynamoDbClient client;
  private VersionedTable table;
  private VersionedItem held;
  private Supplier<Object> enhanced;

  @Setup
  public void setUp() {
    client =
        StubDynamoDbHttpClient.client(new StubDynamoDbHttpClient(OverheadItems.stored(attributes)));
    table = table(client);
    held = held(attributes);
    enhanced = enhancedUpdate(client, attributes);
  }

  @TearDown
  public void tearDown() {
    client.close();
  }

  @Benchmark
  public UpdateItemResponse raw() {
    return client.updateItem(rawRequest(held.attributes()));
  }

  @Benchmark
  public UpdateResult library() {
    return table.update(held, ADD_ONE);
  }

  @Benchmark
  public Object enhanced() {
    return enhanced.get();
  }

  /** Checks the request shapes, runs every benchmark with the GC profiler, prints the summary. */
  public static void main(String[] args) throws RunnerException {
    OverheadReport.check(System.out);
    OverheadReport.print(
        new Runner(
                new OptionsBuilder()
                    .include(UpdateOverheadBenchmark.class.getName() + "\\.")
                    .addProfiler(GCProfiler.class)
                    .build())
            .run(),
        System.out);
  }

  static VersionedTable table(DynamoDbClient client) {
    return VersionedTable.builder().client(client).tableName(TABLE).partitionKey("pk").build();
  }

  static VersionedItem held(int attributes) {
    return new VersionedItem(OverheadItems.held(attributes), VERSION, HELD_TOKEN, false);
  }

  /**
   * The UpdateItem the library sends for {@code update(held, ADD_ONE)} (see {@code
   * VersionedWrite.update}), built as a user would, from the held item.
   */
  static UpdateItemRequest rawRequest(Map<String, AttributeValue> held) {
    long count = Long.parseLong(held.get("count").n());
    long version = Long.parseLong(held.get("version").n());
    return UpdateItemRequest.builder()
        .tableName(TABLE)
        .key(Map.of("pk", held.get("pk")))
        .updateExpression("SET #gt_s0 = :gt_s0, #gt_v = :gt_nv, #gt_t = :gt_nt, #gt_p = :gt_et")
        .conditionExpression("#gt_v = :gt_ev AND #gt_t = :gt_et")
        .expressionAttributeNames(
            Map.of(
                "#gt_s0", "count",
                "#gt_v", "version",
                "#gt_t", "write_token",
                "#gt_p", "parent_token"))
        .expressionAttributeValues(
            Map.of(
                ":gt_s0", AttributeValue.fromN(Long.toString(count + 1)),
                ":gt_nv", AttributeValue.fromN(Long.toString(version + 1)),
                ":gt_nt", AttributeValue.fromS(NEXT_TOKEN),
                ":gt_et", held.get("write_token"),
                ":gt_ev", held.get("version")))
        .returnValues(ReturnValue.ALL_NEW)
        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
        .build();
  }

  /**
   * One Enhanced Client update of the held record with {@code count} set as {@code library} sets
   * it: the client and the table are built once, as an application builds them.
   */
  static Supplier<Object> enhancedUpdate(DynamoDbClient client, int attributes) {
    DynamoDbEnhancedClient enhanced =
        DynamoDbEnhancedClient.builder().dynamoDbClient(client).build();
    if (attributes == 6) {
      DynamoDbTable<Subscriber> subscribers =
          enhanced.table(TABLE, TableSchema.fromBean(Subscriber.class));
      Subscriber subscriber = Subscriber.held();
      return () -> {
        subscriber.setCount(COUNT + 1);
        return subscribers.updateItem(subscriber);
      };
    }
    DynamoDbTable<WideRecord> wide = enhanced.table(TABLE, WideRecord.SCHEMA);
    WideRecord record = WideRecord.held();
    return () -> {
      record.numbers[0] = COUNT + 1;
      return wide.updateItem(record);
    };
  }
}
