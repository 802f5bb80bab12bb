package dev.gtguard.internal.write;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Tells from an exception the SDK threw whether the request may have been applied: the one question
 * a write's true outcome turns on. The SDK retries on its own (up to 9 attempts for DynamoDB), so
 * an exception describes its last attempt; the earlier ones survive only as {@code numAttempts()}
 * and suppressed "Request attempt N failure: ..." messages, which are read here.
 *
 * <ul>
 *   <li>{@link Delivery#NOT_SENT}: refused connection, unknown host, no route, connect timeout: the
 *       request never left the client;
 *   <li>{@link Delivery#REFUSED}: DynamoDB answered 4xx (condition failed, throttled, invalid): not
 *       applied;
 *   <li>{@link Delivery#MAYBE_APPLIED}: a timeout or lost connection after sending, a 5xx, anything
 *       not known to be one of the above;
 *   <li>{@link Delivery#INTERRUPTED}: the calling thread was interrupted (the request may or may
 *       not have been sent).
 * </ul>
 */
public final class SdkFaults {
  /** What became of one attempt. */
  public enum Delivery {
    NOT_SENT,
    REFUSED,
    MAYBE_APPLIED,
    INTERRUPTED
  }

  /**
   * What became of a call's attempts.
   *
   * @param last the last attempt, which the exception describes
   * @param earlierMayHaveApplied whether an earlier attempt of the same call, retried by the SDK,
   *     may have been applied
   */
  public record Fault(Delivery last, boolean earlierMayHaveApplied) {
    /** Whether any attempt of the call may have been applied. */
    public boolean mayHaveApplied() {
      return earlierMayHaveApplied
          || last == Delivery.MAYBE_APPLIED
          || last == Delivery.INTERRUPTED;
    }

    /** Whether the call provably never reached the region. */
    public boolean neverSent() {
      return last == Delivery.NOT_SENT && !earlierMayHaveApplied;
    }
  }

  /** Connect-phase failures of HTTP clients that do not extend {@link ConnectException}. */
  private static final Set<String> CONNECT_FAILURES =
      Set.of("ConnectTimeoutException", "ConnectionPoolTimeoutException");

  private static final String ATTEMPT_PREFIX = "Request attempt ";

  private static final Pattern CLIENT_ERROR = Pattern.compile("Status Code: 4\\d\\d\\b");

  private SdkFaults() {}

  public static Fault classify(Throwable e) {
    Delivery last = lastAttempt(e);
    SdkException counted = counted(e);
    if (counted == null || counted.numAttempts() <= 1) {
      return new Fault(last, false);
    }
    Throwable[] earlier = counted.getSuppressed();
    if (earlier.length < counted.numAttempts() - 1) {
      return new Fault(last, true); // no record of every attempt: assume the worst
    }
    String lastMessage = counted.getMessage() == null ? "" : counted.getMessage();
    for (Throwable attempt : earlier) {
      String message = attemptMessage(attempt);
      boolean refused = message != null && CLIENT_ERROR.matcher(message).find();
      // The same connect-phase failure as the last attempt's, word for word.
      boolean notSent =
          message != null && last == Delivery.NOT_SENT && lastMessage.startsWith(message);
      if (!refused && !notSent) {
        return new Fault(last, true);
      }
    }
    return new Fault(last, false);
  }

  /** Whether the exception says the calling thread was interrupted during the call. */
  public static boolean interrupted(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof AbortedException
          || c instanceof InterruptedException
          || (c instanceof InterruptedIOException && !(c instanceof SocketTimeoutException))) {
        return true;
      }
    }
    return false;
  }

  private static Delivery lastAttempt(Throwable e) {
    if (e instanceof ApiCallAttemptTimeoutException || e instanceof ApiCallTimeoutException) {
      // The SDK enforces its timeouts by interrupting the calling thread: a timeout, not an
      // interrupt of the caller's, whatever its cause chain holds.
      return Delivery.MAYBE_APPLIED;
    }
    if (interrupted(e)) {
      return Delivery.INTERRUPTED;
    }
    if (e instanceof SdkServiceException service) {
      return service.statusCode() >= 500 ? Delivery.MAYBE_APPLIED : Delivery.REFUSED;
    }
    if (e instanceof SdkClientException) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof ConnectException
            || c instanceof UnknownHostException
            || c instanceof NoRouteToHostException
            || c instanceof PortUnreachableException
            || CONNECT_FAILURES.contains(c.getClass().getSimpleName())) {
          return Delivery.NOT_SENT;
        }
      }
    }
    return Delivery.MAYBE_APPLIED;
  }

  /** The exception that carries the SDK's attempt count: {@code e} or one of its causes. */
  private static SdkException counted(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof SdkException s && s.numAttempts() != null) {
        return s;
      }
    }
    return null;
  }

  /** The failure message of an earlier attempt, or null if it is not one the SDK recorded. */
  private static String attemptMessage(Throwable suppressed) {
    String message = suppressed.getMessage();
    if (message == null || !message.startsWith(ATTEMPT_PREFIX)) {
      return null;
    }
    int colon = message.indexOf(" failure: ");
    return colon < 0 ? null : message.substring(colon + " failure: ".length());
  }
}
