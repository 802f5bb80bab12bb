package dev.gtguard.testkit;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the API calls a client makes, by operation name ({@code "UpdateItem"}, {@code "GetItem"},
 * ...). Counts each call once, however often the SDK retried it on the wire.
 *
 * <pre>{@code
 * RequestCounter counter = new RequestCounter();
 * DynamoDbClient client = ddb.newClient(Region.EU_WEST_1, counter);
 * ...
 * assertThat(counter.count("UpdateItem")).isEqualTo(1);
 * }</pre>
 */
public final class RequestCounter implements ExecutionInterceptor {
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    counts.computeIfAbsent(operation, k -> new LongAdder()).increment();
  }

  /** Calls of one operation since creation or the last {@link #reset()}. */
  public long count(String operation) {
    LongAdder adder = counts.get(operation);
    return adder == null ? 0 : adder.sum();
  }

  /** Calls of every operation since creation or the last {@link #reset()}. */
  public long total() {
    return counts.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** A snapshot of all counts, sorted by operation. */
  public Map<String, Long> snapshot() {
    Map<String, Long> snapshot = new TreeMap<>();
    counts.forEach((op, n) -> snapshot.put(op, n.sum()));
    return snapshot;
  }

  public void reset() {
    counts.clear();
  }
}
