package dev.gtguard.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An {@link SdkHttpClient} that passes requests to a real HTTP client and injects {@link Fault}s
 * into chosen ones: a response lost after DynamoDB applied the request, a refused connection, a
 * 500, throttling, a held-back response. It sits below the SDK's retry stage, so the SDK retries,
 * times out and reports exactly as it would on a real network, against a real DynamoDB Local.
 *
 * <pre>{@code
 * FaultInjectingHttpClient faults = new FaultInjectingHttpClient(Apache5HttpClient.create());
 * DynamoDbClient client = ddb.newClient(Region.EU_WEST_1, faults);
 *
 * // The next UpdateItem is applied, its response lost; another writer gets in before the SDK's
 * // retry reaches DynamoDB.
 * faults.inject("UpdateItem", Fault.dropResponse(), 1, () -> otherWriter.update(...));
 * }</pre>
 *
 * <p>Operations are named as in the {@code X-Amz-Target} header ({@code "PutItem"}, {@code
 * "UpdateItem"}, {@code "TransactWriteItems"}, ...), or {@code "*"} for any. Rules are tried in the
 * order they were added; each fires its given number of times. Thread-safe. Closing it closes the
 * wrapped client.
 */
public final class FaultInjectingHttpClient implements SdkHttpClient {
  private static final String TARGET_HEADER = "X-Amz-Target";

  private final SdkHttpClient delegate;
  private final List<Rule> rules = new ArrayList<>();
  private final AtomicInteger injected = new AtomicInteger();

  /** Wraps {@code delegate}, injecting nothing until told to. */
  public FaultInjectingHttpClient(SdkHttpClient delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * Injects {@code fault} into the next {@code times} requests of {@code operation}.
   *
   * @throws IllegalArgumentException if {@code times < 1}
   */
  public FaultInjectingHttpClient inject(String operation, Fault fault, int times) {
    return inject(operation, fault, times, () -> {});
  }

  /**
   * Injects {@code fault} into the next {@code times} requests of {@code operation}, and runs
   * {@code meanwhile} each time after the request reached DynamoDB (for faults that reach it) and
   * before the SDK sees the fault: e.g. another writer that gets in before the SDK's retry.
   *
   * @throws IllegalArgumentException if {@code times < 1}
   */
  public FaultInjectingHttpClient inject(
      String operation, Fault fault, int times, Runnable meanwhile) {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(fault, "fault");
    Objects.requireNonNull(meanwhile, "meanwhile");
    if (times < 1) {
      throw new IllegalArgumentException("times must be >= 1, was " + times);
    }
    synchronized (rules) {
      rules.add(new Rule(operation, fault, times, meanwhile));
    }
    return this;
  }

  /**
   * Injects {@code fault} into each request of {@code operation} with probability {@code
   * probability}, at most {@code atMost} times, drawing from a {@link Random} seeded with {@code
   * seed} (repeatable for one order of requests).
   *
   * @throws IllegalArgumentException if the probability is not in (0, 1] or {@code atMost < 1}
   */
  public FaultInjectingHttpClient injectRandomly(
      String operation, Fault fault, double probability, int atMost, long seed) {
    if (!(probability > 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be in (0, 1], was " + probability);
    }
    inject(operation, fault, atMost);
    synchronized (rules) {
      Rule rule = rules.get(rules.size() - 1);
      rule.probability = probability;
      rule.random = new Random(seed);
    }
    return this;
  }

  /** Removes every rule that has not fired yet. */
  public void clear() {
    synchronized (rules) {
      rules.clear();
    }
  }

  /** How many faults were injected so far. */
  public int injected() {
    return injected.get();
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    String target = request.httpRequest().firstMatchingHeader(TARGET_HEADER).orElse("");
    String operation = target.substring(target.indexOf('.') + 1);
    Rule rule = take(operation);
    ExecutableHttpRequest real = delegate.prepareRequest(request);
    if (rule == null) {
      return real;
    }
    injected.incrementAndGet();
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        return inject(rule, real);
      }

      @Override
      public void abort() {
        real.abort();
      }
    };
  }

  @Override
  public String clientName() {
    return "FaultInjecting(" + delegate.clientName() + ")";
  }

  @Override
  public void close() {
    delegate.close();
  }

  private Rule take(String operation) {
    synchronized (rules) {
      for (Rule rule : rules) {
        if (rule.remaining > 0
            && (rule.operation.equals("*") || rule.operation.equals(operation))) {
          rule.remaining--;
          return rule;
        }
      }
      return null;
    }
  }

  private static HttpExecuteResponse inject(Rule rule, ExecutableHttpRequest real)
      throws IOException {
    Fault fault = rule.fault;
    if (!fault.reachesServer()) {
      rule.meanwhile.run();
      return switch (fault.kind()) {
        case REFUSE_CONNECTION -> throw new ConnectException("Connection refused (injected)");
        case SERVER_ERROR_BEFORE_APPLYING ->
            error(500, "InternalServerError", "injected before applying");
        case THROTTLE -> error(400, "ProvisionedThroughputExceededException", "injected");
        case CANCEL_TRANSACTION -> cancelled(fault.reasons());
        default -> throw new IllegalStateException(fault.toString());
      };
    }
    HttpExecuteResponse response = real.call();
    drain(response);
    rule.meanwhile.run();
    return switch (fault.kind()) {
      case DROP_RESPONSE -> throw new SocketException("Connection reset (injected)");
      case SERVER_ERROR_AFTER_APPLYING ->
          error(500, "InternalServerError", "injected after applying");
      case DELAY_RESPONSE -> {
        try {
          Thread.sleep(fault.delay().toMillis());
        } catch (InterruptedException e) {
          // The SDK's attempt timeout interrupts the calling thread: report it as it would.
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("response held back (injected)");
        }
        throw new SocketException("Connection reset (injected, after a delay)");
      }
      default -> throw new IllegalStateException(fault.toString());
    };
  }

  /** Reads the real response to the end, so the server finished with it and the connection. */
  private static void drain(HttpExecuteResponse response) throws IOException {
    if (response.responseBody().isPresent()) {
      try (InputStream body = response.responseBody().get()) {
        body.readAllBytes();
      }
    }
  }

  private static HttpExecuteResponse error(int status, String type, String message) {
    return response(
        status,
        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
            + type
            + "\",\"message\":\""
            + message
            + "\"}");
  }

  private static HttpExecuteResponse cancelled(List<String> reasons) {
    String json =
        reasons.stream()
            .map(code -> "{\"Code\":\"" + code + "\",\"Message\":\"injected " + code + "\"}")
            .collect(Collectors.joining(","));
    return response(
        400,
        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
            + "\"message\":\"Transaction cancelled (injected)\",\"CancellationReasons\":["
            + json
            + "]}");
  }

  private static HttpExecuteResponse response(int status, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return HttpExecuteResponse.builder()
        .response(
            SdkHttpResponse.builder()
                .statusCode(status)
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("Content-Length", Integer.toString(body.length))
                .build())
        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
        .build();
  }

  private static final class Rule {
    final String operation;
    final Fault fault;
    final Runnable meanwhile;
    int remaining;
    double probability = 1;
    Random random;

    Rule(String operation, Fault fault, int times, Runnable meanwhile) {
      this.operation = operation;
      this.fault = fault;
      this.remaining = times;
      this.meanwhile = meanwhile;
    }
  }
}
