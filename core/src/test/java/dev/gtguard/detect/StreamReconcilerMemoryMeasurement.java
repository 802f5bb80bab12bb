package dev.gtguard.detect;

import static dev.gtguard.detect.StreamRecords.modify;
import static dev.gtguard.detect.StreamRecords.n;
import static dev.gtguard.detect.StreamRecords.record;
import static dev.gtguard.detect.StreamRecords.s;

import dev.gtguard.TableDescription;
import dev.gtguard.internal.ItemSizes;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Not a test: measures the heap a {@link StreamReconciler} retains per state, for its javadoc. Run
 * with {@code ./mvnw -o -q -Dspotless.check.skip=true -pl testkit,core test
 * -Dtest=StreamReconcilerMemoryMeasurement -Dgtguard.measure=true
 * -Dsurefire.failIfNoSpecifiedTests=false}; the figures are in {@code
 * core/target/surefire-reports/dev.gtguard.detect.StreamReconcilerMemoryMeasurement-output.txt}.
 */
@EnabledIfSystemProperty(named = "gtguard.measure", matches = "true")
class StreamReconcilerMemoryMeasurement {
  private static final int ITEMS = 500;
  private static final int VERSIONS_PER_ITEM = 80; // 40,000 records, 40,000 states

  /**
   * A typical small subscriber: key, bookkeeping (ULID-sized tokens) and three attributes. Names
   * are new strings, as in records the SDK unmarshalled, not shared literals.
   */
  private static Map<String, AttributeValue> state(int item, int version) {
    Map<String, AttributeValue> image = new LinkedHashMap<>();
    image.put(fresh("pk"), s("subscriber#" + (100_000 + item)));
    image.put(fresh("version"), n(version));
    image.put(fresh("write_token"), s(token(item, version)));
    if (version > 1) {
      image.put(fresh("parent_token"), s(token(item, version - 1)));
    }
    image.put(fresh("delivery_address"), s((version * 7) + " Baker Street, London"));
    image.put(fresh("last_contacted"), s("2024-11-" + (10 + version % 20)));
    image.put(fresh("plan"), s(version % 2 == 0 ? "pro" : "basic"));
    return image;
  }

  @SuppressWarnings("StringOperationCanBeSimplified")
  private static String fresh(String name) {
    return new String(name.toCharArray());
  }

  private static String token(int item, int version) {
    return String.format("01JD%010d%012d", item, version); // 26 characters, like a ULID
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test
  void add_40000RecordsOf500SmallItems_printsTheHeapRetainedPerState() throws InterruptedException {
    StreamReconciler reconciler =
        StreamReconciler.builder().table(TableDescription.of("subscribers", "pk")).build();
    long before = usedHeapAfterGc();
    long records = 0;
    for (int version = 1; version <= VERSIONS_PER_ITEM; version++) {
      List<Record> batch = new ArrayList<>(ITEMS);
      for (int item = 0; item < ITEMS; item++) {
        batch.add(
            version == 1
                ? record(OperationType.INSERT, null, state(item, 1))
                : modify(state(item, version - 1), state(item, version)));
      }
      reconciler.add("eu-west-1", batch);
      records += batch.size();
    }
    long after = usedHeapAfterGc();
    long retained = after - before;
    int states = reconciler.retainedStates(); // keeps the reconciler reachable until here
    System.out.printf(
        "records=%d items=%d states=%d item size=%d bytes; retained=%d bytes (%.1f MB), %d bytes"
            + " per state%n",
        records,
        ITEMS,
        states,
        ItemSizes.of(state(0, VERSIONS_PER_ITEM / 2)),
        retained,
        retained / 1e6,
        retained / states);
  }
}
