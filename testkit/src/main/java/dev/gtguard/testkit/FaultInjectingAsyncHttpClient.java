package dev.gtguard.testkit;

import dev.gtguard.testkit.internal.NettyClients;
import dev.gtguard.testkit.internal.OriginInterceptor;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;
import software.amazon.awssdk.regions.Region;

/**
 * The asynchronous twin of {@link FaultInjectingHttpClient}: an {@link SdkAsyncHttpClient} that
 * passes requests to a real asynchronous HTTP client and injects {@link Fault}s into chosen ones,
 * with the same rules, counting and meaning. It sits below the SDK's retry stage of a {@link
 * software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient DynamoDbAsyncClient}, so the SDK
 * retries, times out and reports exactly as it would on a real network, against a real DynamoDB
 * Local; each fault reaches the SDK as the Netty client would report it (a refused connection as a
 * {@link ConnectException}, a lost response as an {@link IOException} over a connection reset), so
 * the SDK raises the same exceptions, with the same attempt counts, as over {@link
 * FaultInjectingHttpClient}.
 *
 * <pre>{@code
 * FaultInjectingAsyncHttpClient faults = new FaultInjectingAsyncHttpClient();
 * DynamoDbAsyncClient client = ddb.newAsyncClient(Region.EU_WEST_1, faults);
 *
 * // The next UpdateItem is applied, its response lost; another writer gets in before the SDK's
 * // retry reaches DynamoDB.
 * faults.inject("UpdateItem", Fault.dropResponse(), 1, () -> otherWriter.update(...));
 * client.updateItem(...).join();
 * }</pre>
 *
 * <p>Operations are named as in the {@code X-Amz-Target} header ({@code "PutItem"}, {@code
 * "UpdateItem"}, {@code "TransactWriteItems"}, ...), or {@code "*"} for any. Rules are tried in the
 * order they were added; each fires its given number of times. A rule's {@code meanwhile} runs on a
 * thread of this client while the request waits for it (never on the HTTP client's event loop, so
 * it may block, e.g. on another client's write); a write it makes through a client of the same
 * {@link LocalGlobalTable} region, to an item the waiting request locked, goes ahead as it would in
 * the blocking client's {@code meanwhile}. A {@linkplain Fault#delayResponse held-back response}
 * ends early when the SDK gives up on the attempt (its attempt or call timeout, a cancellation).
 * Thread-safe. Closing it closes the wrapped client.
 */
public final class FaultInjectingAsyncHttpClient implements SdkAsyncHttpClient {
  /** What the Netty client says of a connection closed under a request (and the SDK repeats). */
  private static final String CLOSED_DURING_REQUEST =
      "The connection was closed during the request (injected).";

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final SdkAsyncHttpClient delegate;
  private final FaultRules rules = new FaultRules();
  private final ExecutorService meanwhileThreads =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "gtguard-testkit-faults-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });

  /**
   * Wraps a Netty client like the one {@link LocalDynamoDb#newAsyncClient(Region,
   * ExecutionInterceptor...)} uses: on an event loop group the testkit shares, so that closing it
   * does not wait out Netty's two-second quiet period, as closing a {@code
   * NettyNioAsyncHttpClient.create()} does.
   *
   * <pre>{@code
   * FaultInjectingAsyncHttpClient faults = new FaultInjectingAsyncHttpClient();
   * }</pre>
   */
  public FaultInjectingAsyncHttpClient() {
    this(NettyClients.builder().build());
  }

  /**
   * Wraps {@code delegate}, injecting nothing until told to.
   *
   * <pre>{@code
   * FaultInjectingAsyncHttpClient faults =
   *     new FaultInjectingAsyncHttpClient(NettyNioAsyncHttpClient.builder().build());
   * }</pre>
   */
  public FaultInjectingAsyncHttpClient(SdkAsyncHttpClient delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * Injects {@code fault} into the next {@code times} requests of {@code operation}.
   *
   * <pre>{@code
   * faults.inject("PutItem", Fault.refuseConnection(), 3);  // never sent, three times
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code times < 1}
   */
  public FaultInjectingAsyncHttpClient inject(String operation, Fault fault, int times) {
    return inject(operation, fault, times, () -> {});
  }

  /**
   * Injects {@code fault} into the next {@code times} requests of {@code operation}, and runs
   * {@code meanwhile} each time after the request reached DynamoDB (for faults that reach it) and
   * before the SDK sees the fault: e.g. another writer that gets in before the SDK's retry. The
   * request waits until {@code meanwhile} returns; if it throws, the SDK sees that exception.
   *
   * <pre>{@code
   * faults.inject("UpdateItem", Fault.dropResponse(), 1,
   *     () -> global.client("eu-west-1").updateItem(...));  // blocking is fine here
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code times < 1}
   */
  public FaultInjectingAsyncHttpClient inject(
      String operation, Fault fault, int times, Runnable meanwhile) {
    rules.add(operation, fault, times, meanwhile);
    return this;
  }

  /**
   * Removes every rule that has not fired yet.
   *
   * <pre>{@code
   * faults.clear();  // the network heals
   * }</pre>
   */
  public void clear() {
    rules.clear();
  }

  /**
   * How many faults were injected so far.
   *
   * <pre>{@code
   * assertThat(faults.injected()).isEqualTo(1);
   * }</pre>
   */
  public int injected() {
    return rules.injected();
  }

  @Override
  public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
    FaultRules.Rule rule = rules.take(request.request());
    if (rule == null) {
      return delegate.execute(request);
    }
    return new Injection(rule, request).start();
  }

  @Override
  public String clientName() {
    return "FaultInjecting(" + delegate.clientName() + ")";
  }

  /** Closes the wrapped client; a {@code meanwhile} still running finishes on its own. */
  @Override
  public void close() {
    meanwhileThreads.shutdown();
    delegate.close();
  }

  /** One request with a fault: what the SDK is told, once, and when. */
  private final class Injection {
    private final FaultRules.Rule rule;
    private final AsyncExecuteRequest request;
    private final SdkAsyncHttpResponseHandler sdk;

    /** The future the SDK holds; the SDK completes it itself when it gives up on the attempt. */
    private final CompletableFuture<Void> result = new CompletableFuture<>();

    private final AtomicBoolean answered = new AtomicBoolean();

    Injection(FaultRules.Rule rule, AsyncExecuteRequest request) {
      this.rule = rule;
      this.request = request;
      this.sdk = request.responseHandler();
    }

    CompletableFuture<Void> start() {
      Fault fault = rule.fault;
      if (!fault.reachesServer()) {
        meanwhile(() -> answer(FaultRules.beforeServer(fault)));
        return result;
      }
      CompletableFuture<Void> real = sendAndDrain();
      result.whenComplete(
          (v, t) -> {
            if (t != null) {
              real.completeExceptionally(t); // the SDK gave up: abort, as it would Netty's request
            }
          });
      real.whenComplete(
          (v, t) -> {
            if (t != null) {
              fail(unwrap(t)); // a real failure, not an injected one: passed on as it is
            } else {
              meanwhile(() -> answer(FaultRules.afterServer(fault)));
            }
          });
      return result;
    }

    /** Sends the request for real and reads DynamoDB's answer to the end, dropping it. */
    private CompletableFuture<Void> sendAndDrain() {
      CompletableFuture<Void> drained = new CompletableFuture<>();
      SdkAsyncHttpResponseHandler drop =
          new SdkAsyncHttpResponseHandler() {
            @Override
            public void onHeaders(SdkHttpResponse headers) {}

            @Override
            public void onStream(Publisher<ByteBuffer> stream) {
              stream.subscribe(new Drain(drained));
            }

            @Override
            public void onError(Throwable error) {
              drained.completeExceptionally(error);
            }
          };
      AsyncExecuteRequest.Builder real =
          AsyncExecuteRequest.builder()
              .request(request.request())
              .requestContentPublisher(request.requestContentPublisher())
              .fullDuplex(request.fullDuplex())
              .httpExecutionAttributes(request.httpExecutionAttributes())
              .responseHandler(drop);
      request.metricCollector().ifPresent(real::metricCollector);
      CompletableFuture<Void> sent = delegate.execute(real.build());
      CompletableFuture<Void> done = sent.thenCompose(v -> drained);
      // Completing the returned future aborts the request in flight, as the SDK does.
      done.whenComplete(
          (v, t) -> {
            if (t != null) {
              sent.completeExceptionally(t);
            }
          });
      return done;
    }

    /**
     * Runs the rule's {@code meanwhile} on a thread of this client, on behalf of the request's
     * execution, then {@code next}; neither if the SDK gave up on the attempt already.
     */
    private void meanwhile(Runnable next) {
      if (result.isDone()) {
        return;
      }
      CompletableFuture.runAsync(
              () -> OriginInterceptor.runOnBehalfOf(request.request(), rule.meanwhile),
              meanwhileThreads)
          .whenComplete(
              (v, t) -> {
                if (t != null) {
                  fail(unwrap(t));
                } else {
                  next.run();
                }
              });
    }

    private void answer(FaultRules.Answer answer) {
      if (answer.delayMillis() > 0) {
        CompletableFuture.delayedExecutor(
                answer.delayMillis(), TimeUnit.MILLISECONDS, meanwhileThreads)
            .execute(() -> deliver(answer));
      } else {
        deliver(answer);
      }
    }

    private void deliver(FaultRules.Answer answer) {
      if (answer.error() != null) {
        fail(asNettyReportsIt(answer.error()));
      } else {
        respond(answer.status(), answer.body());
      }
    }

    private void respond(int status, byte[] body) {
      if (result.isDone() || !answered.compareAndSet(false, true)) {
        return;
      }
      sdk.onHeaders(
          SdkHttpResponse.builder()
              .statusCode(status)
              .putHeader("Content-Type", "application/x-amz-json-1.0")
              .putHeader("Content-Length", Integer.toString(body.length))
              .build());
      sdk.onStream(new Body(body, result));
    }

    private void fail(Throwable error) {
      if (result.isDone() || !answered.compareAndSet(false, true)) {
        return;
      }
      sdk.onError(error);
      result.completeExceptionally(error);
    }
  }

  /**
   * An injected I/O error as the Netty client reports it: a failed connect as it is, a connection
   * reset under a request as an {@link IOException} saying the connection was closed.
   */
  private static IOException asNettyReportsIt(IOException error) {
    return error instanceof ConnectException
        ? error
        : new IOException(CLOSED_DURING_REQUEST, error);
  }

  private static Throwable unwrap(Throwable t) {
    return (t instanceof CompletionException || t instanceof ExecutionException)
            && t.getCause() != null
        ? t.getCause()
        : t;
  }

  /** Reads a response body to its end, dropping it. */
  private static final class Drain implements Subscriber<ByteBuffer> {
    private final CompletableFuture<Void> drained;

    Drain(CompletableFuture<Void> drained) {
      this.drained = drained;
    }

    @Override
    public void onSubscribe(Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ByteBuffer buffer) {}

    @Override
    public void onError(Throwable error) {
      drained.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      drained.complete(null);
    }
  }

  /** A response body of one buffer, for one subscriber; completes {@code done} once delivered. */
  private static final class Body implements Publisher<ByteBuffer> {
    private final byte[] body;
    private final CompletableFuture<Void> done;

    Body(byte[] body, CompletableFuture<Void> done) {
      this.body = body;
      this.done = done;
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
      AtomicBoolean finished = new AtomicBoolean();
      subscriber.onSubscribe(
          new Subscription() {
            @Override
            public void request(long n) {
              if (!finished.compareAndSet(false, true)) {
                return;
              }
              if (n <= 0) {
                IllegalArgumentException e =
                    new IllegalArgumentException("request must be positive (§3.9), was " + n);
                subscriber.onError(e);
                done.completeExceptionally(e);
                return;
              }
              subscriber.onNext(ByteBuffer.wrap(body));
              subscriber.onComplete();
              done.complete(null);
            }

            @Override
            public void cancel() {
              if (finished.compareAndSet(false, true)) {
                done.complete(null);
              }
            }
          });
    }
  }
}
