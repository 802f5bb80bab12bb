package dev.gtguard.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A network or server fault that {@link FaultInjectingHttpClient} injects into one request, at the
 * HTTP layer, below the SDK's retries: the SDK sees exactly what it would see from a real network.
 * Each fault says whether the request reached DynamoDB, which is what a write's true outcome turns
 * on.
 *
 * <pre>{@code
 * faults.inject("UpdateItem", Fault.dropResponse(), 1);   // applied, response lost, SDK retries
 * faults.inject("PutItem", Fault.refuseConnection(), 3);  // never sent
 * }</pre>
 */
public final class Fault {
  enum Kind {
    DROP_RESPONSE,
    REFUSE_CONNECTION,
    SERVER_ERROR_AFTER_APPLYING,
    SERVER_ERROR_BEFORE_APPLYING,
    THROTTLE,
    DELAY_RESPONSE,
    CANCEL_TRANSACTION
  }

  private final Kind kind;
  private final Duration delay;
  private final List<String> reasons;

  private Fault(Kind kind, Duration delay) {
    this(kind, delay, List.of());
  }

  private Fault(Kind kind, Duration delay, List<String> reasons) {
    this.kind = kind;
    this.delay = delay;
    this.reasons = reasons;
  }

  /**
   * The request reaches DynamoDB and is applied; the response is lost on the way back (the
   * connection resets). The SDK treats it as an I/O error and, by default, retries.
   */
  public static Fault dropResponse() {
    return new Fault(Kind.DROP_RESPONSE, Duration.ZERO);
  }

  /** The connection is refused: the request provably never left the client. */
  public static Fault refuseConnection() {
    return new Fault(Kind.REFUSE_CONNECTION, Duration.ZERO);
  }

  /**
   * DynamoDB applies the request and then answers {@code 500 InternalServerError}, which the SDK
   * retries by default.
   */
  public static Fault serverErrorAfterApplying() {
    return new Fault(Kind.SERVER_ERROR_AFTER_APPLYING, Duration.ZERO);
  }

  /** DynamoDB answers {@code 500 InternalServerError} without applying the request. */
  public static Fault serverErrorBeforeApplying() {
    return new Fault(Kind.SERVER_ERROR_BEFORE_APPLYING, Duration.ZERO);
  }

  /**
   * DynamoDB refuses the request with {@code 400 ProvisionedThroughputExceededException} without
   * applying it; the SDK backs off and retries by default.
   */
  public static Fault throttle() {
    return new Fault(Kind.THROTTLE, Duration.ZERO);
  }

  /**
   * The request is applied and its response held back for {@code delay}: with an API call attempt
   * timeout shorter than that, the SDK gives up on a request that was applied.
   *
   * @throws NullPointerException if {@code delay} is null
   * @throws IllegalArgumentException if it is negative
   */
  public static Fault delayResponse(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, was " + delay);
    }
    return new Fault(Kind.DELAY_RESPONSE, delay);
  }

  /**
   * DynamoDB cancels a {@code TransactWriteItems} without applying it, with one cancellation reason
   * code per transaction item, e.g. {@code cancelTransaction("None", "ThrottlingError")}.
   *
   * @throws IllegalArgumentException if no reason is given
   */
  public static Fault cancelTransaction(String... reasonCodes) {
    if (reasonCodes.length == 0) {
      throw new IllegalArgumentException("give one reason code per transaction item");
    }
    return new Fault(Kind.CANCEL_TRANSACTION, Duration.ZERO, List.of(reasonCodes));
  }

  /** Whether DynamoDB receives (and, if its conditions hold, applies) the request. */
  public boolean reachesServer() {
    return kind == Kind.DROP_RESPONSE
        || kind == Kind.SERVER_ERROR_AFTER_APPLYING
        || kind == Kind.DELAY_RESPONSE;
  }

  Kind kind() {
    return kind;
  }

  Duration delay() {
    return delay;
  }

  List<String> reasons() {
    return reasons;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case DELAY_RESPONSE -> "DELAY_RESPONSE(" + delay + ")";
      case CANCEL_TRANSACTION -> "CANCEL_TRANSACTION" + reasons;
      default -> kind.name();
    };
  }
}
