package dev.gtguard.testkit;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The decisions that {@link FaultInjectingHttpClient} and {@link FaultInjectingAsyncHttpClient}
 * share: which request gets which fault (rules tried in the order they were added, each firing its
 * given number of times), how many were injected, and what the SDK is given instead of DynamoDB's
 * answer. The two clients differ only in how they send, wait and hand that answer over.
 */
final class FaultRules {
  private static final String TARGET_HEADER = "X-Amz-Target";

  private final List<Rule> rules = new ArrayList<>();
  private final AtomicInteger injected = new AtomicInteger();

  /** A fault to inject into the next {@code remaining} requests of an operation. */
  static final class Rule {
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

  /**
   * What the SDK is given instead of DynamoDB's answer: an HTTP response ({@code status} and a JSON
   * {@code body}), or an I/O {@code error}; for a fault that reaches DynamoDB, after {@code delay}.
   */
  record Answer(int status, byte[] body, IOException error, long delayMillis) {
    static Answer response(int status, String json) {
      return new Answer(status, json.getBytes(StandardCharsets.UTF_8), null, 0);
    }

    static Answer error(IOException error) {
      return new Answer(0, null, error, 0);
    }

    Answer after(long delayMillis) {
      return new Answer(status, body, error, delayMillis);
    }
  }

  void add(String operation, Fault fault, int times, Runnable meanwhile) {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(fault, "fault");
    Objects.requireNonNull(meanwhile, "meanwhile");
    if (times < 1) {
      throw new IllegalArgumentException("times must be >= 1, was " + times);
    }
    synchronized (rules) {
      rules.add(new Rule(operation, fault, times, meanwhile));
    }
  }

  void addRandomly(String operation, Fault fault, double probability, int atMost, long seed) {
    if (!(probability > 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be in (0, 1], was " + probability);
    }
    add(operation, fault, atMost, () -> {});
    synchronized (rules) {
      Rule rule = rules.get(rules.size() - 1);
      rule.probability = probability;
      rule.random = new Random(seed);
    }
  }

  void clear() {
    synchronized (rules) {
      rules.clear();
    }
  }

  int injected() {
    return injected.get();
  }

  /**
   * The rule that fires for this request, counted as injected, or null: the operation is the part
   * of the {@code X-Amz-Target} header after the dot ({@code DynamoDB_20120810.UpdateItem}).
   */
  Rule take(SdkHttpRequest request) {
    String target = request.firstMatchingHeader(TARGET_HEADER).orElse("");
    String operation = target.substring(target.indexOf('.') + 1);
    synchronized (rules) {
      for (Rule rule : rules) {
        if (rule.remaining > 0
            && (rule.operation.equals("*") || rule.operation.equals(operation))) {
          rule.remaining--;
          injected.incrementAndGet();
          return rule;
        }
      }
      return null;
    }
  }

  /**
   * What the SDK gets for a fault that never reaches DynamoDB; the caller runs the rule's {@code
   * meanwhile} first.
   */
  static Answer beforeServer(Fault fault) {
    return switch (fault.kind()) {
      case REFUSE_CONNECTION -> Answer.error(new ConnectException("Connection refused (injected)"));
      case SERVER_ERROR_BEFORE_APPLYING ->
          error(500, "InternalServerError", "injected before applying");
      case THROTTLE -> error(400, "ProvisionedThroughputExceededException", "injected");
      case CANCEL_TRANSACTION -> cancelled(fault.reasons());
      default -> throw new IllegalStateException(fault.toString());
    };
  }

  /**
   * What the SDK gets for a fault that reaches DynamoDB, once DynamoDB has answered (its answer is
   * dropped) and the rule's {@code meanwhile} has run.
   */
  static Answer afterServer(Fault fault) {
    return switch (fault.kind()) {
      case DROP_RESPONSE -> Answer.error(new SocketException("Connection reset (injected)"));
      case SERVER_ERROR_AFTER_APPLYING ->
          error(500, "InternalServerError", "injected after applying");
      case DELAY_RESPONSE ->
          Answer.error(new SocketException("Connection reset (injected, after a delay)"))
              .after(fault.delay().toMillis());
      default -> throw new IllegalStateException(fault.toString());
    };
  }

  private static Answer error(int status, String type, String message) {
    return Answer.response(
        status,
        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
            + type
            + "\",\"message\":\""
            + message
            + "\"}");
  }

  private static Answer cancelled(List<String> reasons) {
    String json =
        reasons.stream()
            .map(code -> "{\"Code\":\"" + code + "\",\"Message\":\"injected " + code + "\"}")
            .collect(Collectors.joining(","));
    return Answer.response(
        400,
        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
            + "\"message\":\"Transaction cancelled (injected)\",\"CancellationReasons\":["
            + json
            + "]}");
  }
}
