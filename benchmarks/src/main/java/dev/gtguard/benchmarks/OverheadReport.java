package dev.gtguard.benchmarks;

import static dev.gtguard.benchmarks.OverheadItems.NEXT_TOKEN;

import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedItem;
import java.io.PrintStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Before {@link UpdateOverheadBenchmark} runs: proof that its modes send what they claim; after:
 * its summary table.
 */
final class OverheadReport {
  private static final String[] MODES = {"raw", "library", "enhanced"};

  private OverheadReport() {}

  /**
   * Sends one update of each mode per item size through a stub, and fails unless the raw request
   * equals the library's (write token aside: the library draws its own), each mode sent exactly one
   * request and each got the item at version 18 back. Prints the request and response sizes.
   */
  static void check(PrintStream out) {
    for (int attributes : new int[] {6, 200}) {
      StubDynamoDbHttpClient stub = new StubDynamoDbHttpClient(OverheadItems.stored(attributes));
      Capture capture = new Capture();
      try (DynamoDbClient client = StubDynamoDbHttpClient.client(stub, capture)) {
        VersionedItem held = UpdateOverheadBenchmark.held(attributes);
        UpdateResult result =
            UpdateOverheadBenchmark.table(client).update(held, UpdateOverheadBenchmark.ADD_ONE);
        require(result.attempts() == 1 && result.item().version() == 18, "library: " + result);
        UpdateItemRequest library = (UpdateItemRequest) capture.request;
        long libraryBytes = stub.lastRequestBytes();

        client.updateItem(UpdateOverheadBenchmark.rawRequest(held.attributes()));
        UpdateItemRequest raw = (UpdateItemRequest) capture.request;
        long rawBytes = stub.lastRequestBytes();
        Map<String, AttributeValue> values =
            new LinkedHashMap<>(library.expressionAttributeValues());
        values.put(":gt_nt", AttributeValue.fromS(NEXT_TOKEN));
        UpdateItemRequest normalized =
            library.toBuilder().expressionAttributeValues(values).build();
        require(
            normalized.equals(raw), "raw and library requests differ:\n" + raw + "\n" + library);

        Object record = UpdateOverheadBenchmark.enhancedUpdate(client, attributes).get();
        long version =
            record instanceof Subscriber s ? s.getVersion() : ((WideRecord) record).version;
        require(version == 18, "enhanced: version " + version);
        UpdateItemRequest enhanced = (UpdateItemRequest) capture.request;
        require(stub.requests() == 3, "requests sent: " + stub.requests());
        out.printf(
            Locale.ROOT,
            "CHECK attributes=%d raw request = library request (write token aside);"
                + " request bytes raw=%d library=%d enhanced=%d (enhanced sets %d attributes:"
                + " %s...); response bytes=%d, each mode%n",
            attributes,
            rawBytes,
            libraryBytes,
            stub.lastRequestBytes(),
            enhanced.expressionAttributeNames().size(),
            enhanced.updateExpression().substring(0, 40),
            stub.updateItemResponseBytes());
      }
    }
  }

  /**
   * Per item size: each mode's µs/op (± JMH's 99.9% error) and B/op ({@code gc.alloc.rate.norm}),
   * then library/raw and library/enhanced for both.
   */
  static void print(Collection<RunResult> results, PrintStream out) {
    Map<Integer, Map<String, double[]>> table = new TreeMap<>();
    for (RunResult r : results) {
      String benchmark = r.getParams().getBenchmark();
      String mode = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      int attributes = Integer.parseInt(r.getParams().getParam("attributes"));
      Result<?> time = r.getPrimaryResult();
      table
          .computeIfAbsent(attributes, a -> new LinkedHashMap<>())
          .put(mode, new double[] {time.getScore(), time.getScoreError(), bytesPerOp(r)});
    }
    out.println();
    out.println("UpdateOverheadBenchmark summary (µs/op ± 99.9% error; B/op = gc.alloc.rate.norm)");
    out.printf(
        Locale.ROOT,
        "%-6s %-9s %16s %9s   %-17s %-17s%n",
        "attrs",
        "mode",
        "µs/op",
        "B/op",
        "library/this µs",
        "library/this B");
    table.forEach(
        (attributes, modes) -> {
          double[] library = modes.get("library");
          for (String mode : MODES) {
            double[] m = modes.get(mode);
            if (m == null) {
              continue;
            }
            String timeRatio = library == null ? "" : ratio(library[0], m[0]);
            String bytesRatio = library == null ? "" : ratio(library[2], m[2]);
            out.printf(
                Locale.ROOT,
                "%-6d %-9s %9.2f ± %4.2f %9.0f   %-17s %-17s%n",
                attributes,
                mode,
                m[0],
                m[1],
                m[2],
                mode.equals("library") ? "" : timeRatio,
                mode.equals("library") ? "" : bytesRatio);
          }
        });
  }

  private static String ratio(double a, double b) {
    return String.format(Locale.ROOT, "%.2fx", a / b);
  }

  private static double bytesPerOp(RunResult r) {
    return r.getSecondaryResults().entrySet().stream()
        .filter(e -> e.getKey().endsWith("gc.alloc.rate.norm"))
        .mapToDouble(e -> e.getValue().getScore())
        .findFirst()
        .orElse(Double.NaN);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }

  /** Keeps the last request the SDK was given, as the caller built it. */
  private static final class Capture implements ExecutionInterceptor {
    private volatile SdkRequest request;

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      request = context.request();
    }
  }
}
