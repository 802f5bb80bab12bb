package dev.gtguard.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.Random;
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
  private final SdkHttpClient delegate;
  private final FaultRules rules = new FaultRules();

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
    rules.add(operation, fault, times, meanwhile);
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
    rules.addRandomly(operation, fault, probability, atMost, seed);
    return this;
  }

  /** Removes every rule that has not fired yet. */
  public void clear() {
    rules.clear();
  }

  /** How many faults were injected so far. */
  public int injected() {
    return rules.injected();
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    FaultRules.Rule rule = rules.take(request.httpRequest());
    ExecutableHttpRequest real = delegate.prepareRequest(request);
    if (rule == null) {
      return real;
    }
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

  private static HttpExecuteResponse inject(FaultRules.Rule rule, ExecutableHttpRequest real)
      throws IOException {
    Fault fault = rule.fault;
    if (!fault.reachesServer()) {
      rule.meanwhile.run();
      return answer(FaultRules.beforeServer(fault));
    }
    HttpExecuteResponse response = real.call();
    drain(response);
    rule.meanwhile.run();
    FaultRules.Answer answer = FaultRules.afterServer(fault);
    if (answer.delayMillis() > 0) {
      try {
        Thread.sleep(answer.delayMillis());
      } catch (InterruptedException e) {
        // The SDK's attempt timeout interrupts the calling thread: report it as it would.
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("response held back (injected)");
      }
    }
    return answer(answer);
  }

  /** Throws the answer's I/O error, or returns its response. */
  private static HttpExecuteResponse answer(FaultRules.Answer answer) throws IOException {
    if (answer.error() != null) {
      throw answer.error();
    }
    return HttpExecuteResponse.builder()
        .response(
            SdkHttpResponse.builder()
                .statusCode(answer.status())
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("Content-Length", Integer.toString(answer.body().length))
                .build())
        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer.body())))
        .build();
  }

  /** Reads the real response to the end, so the server finished with it and the connection. */
  private static void drain(HttpExecuteResponse response) throws IOException {
    if (response.responseBody().isPresent()) {
      try (InputStream body = response.responseBody().get()) {
        body.readAllBytes();
      }
    }
  }
}
