package dev.gtguard.internal.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.internal.write.SdkFaults.Delivery;
import dev.gtguard.internal.write.SdkFaults.Fault;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/** The exceptions are shaped as the SDK 2.54 shapes them (see FaultInjectingHttpClientTest). */
class SdkFaultsTest {

  private static SdkClientException io(Throwable cause) {
    return SdkClientException.builder()
        .message("Unable to execute HTTP request: " + cause.getMessage())
        .cause(cause)
        .build();
  }

  /** As the SDK reports a call after {@code earlier} failed attempts. */
  private static <T extends SdkException> T retried(T last, String... earlier) {
    T counted = (T) last.toBuilder().numAttempts(earlier.length + 1).build();
    for (int i = 0; i < earlier.length; i++) {
      counted.addSuppressed(
          SdkClientException.create("Request attempt " + (i + 1) + " failure: " + earlier[i]));
    }
    return counted;
  }

  private static final String REFUSED =
      "Unable to execute HTTP request: Connect to http://127.0.0.1:1 failed: Connection refused";

  @Test
  void connectionRefused_everyAttempt_neverSent() {
    SdkClientException e =
        retried(
            (SdkClientException)
                SdkClientException.builder()
                    .message(REFUSED)
                    .cause(new ConnectException("Connection refused"))
                    .build(),
            REFUSED,
            REFUSED);

    Fault fault = SdkFaults.classify(e);

    assertThat(fault.last()).isEqualTo(Delivery.NOT_SENT);
    assertThat(fault.neverSent()).isTrue();
    assertThat(fault.mayHaveApplied()).isFalse();
  }

  @Test
  void connectionRefusedAfterALostResponse_mayHaveApplied() {
    SdkClientException e =
        retried(
            (SdkClientException)
                SdkClientException.builder()
                    .message(REFUSED)
                    .cause(new ConnectException("Connection refused"))
                    .build(),
            "Unable to execute HTTP request: Connection reset");

    Fault fault = SdkFaults.classify(e);

    assertThat(fault.neverSent()).isFalse();
    assertThat(fault.earlierMayHaveApplied()).isTrue();
  }

  @Test
  void unknownHost_wrappedBySdk_neverSent() {
    SdkClientException inner =
        retried(
            (SdkClientException)
                SdkClientException.builder()
                    .message("Unable to execute HTTP request: nowhere.invalid")
                    .cause(new UnknownHostException("nowhere.invalid"))
                    .build(),
            "Unable to execute HTTP request: nowhere.invalid");
    SdkClientException outer = SdkClientException.create("Received an UnknownHostException", inner);

    assertThat(SdkFaults.classify(outer).neverSent()).isTrue();
  }

  @Test
  void lostResponseOrTimeout_mayHaveApplied() {
    assertThat(SdkFaults.classify(io(new SocketException("Connection reset"))).last())
        .isEqualTo(Delivery.MAYBE_APPLIED);
    assertThat(SdkFaults.classify(io(new SocketTimeoutException("Read timed out"))).last())
        .isEqualTo(Delivery.MAYBE_APPLIED);
    assertThat(SdkFaults.classify(ApiCallAttemptTimeoutException.create(100)).last())
        .isEqualTo(Delivery.MAYBE_APPLIED);
  }

  @Test
  void serverError_mayHaveApplied_throttlingAndConditionRefused() {
    assertThat(
            SdkFaults.classify(InternalServerErrorException.builder().statusCode(500).build())
                .mayHaveApplied())
        .isTrue();
    assertThat(
            SdkFaults.classify(
                    ProvisionedThroughputExceededException.builder().statusCode(400).build())
                .last())
        .isEqualTo(Delivery.REFUSED);
    assertThat(
            SdkFaults.classify(ConditionalCheckFailedException.builder().statusCode(400).build())
                .mayHaveApplied())
        .isFalse();
  }

  @Test
  void conditionFailedAfterALostResponse_earlierMayHaveApplied() {
    ConditionalCheckFailedException e =
        retried(
            (ConditionalCheckFailedException)
                ConditionalCheckFailedException.builder().statusCode(400).build(),
            "Unable to execute HTTP request: Connection reset (injected)");

    Fault fault = SdkFaults.classify(e);

    assertThat(fault.last()).isEqualTo(Delivery.REFUSED);
    assertThat(fault.earlierMayHaveApplied()).isTrue();
  }

  @Test
  void throttledThenThrottled_nothingApplied() {
    String throttled = "slow down (Service: DynamoDb, Status Code: 400, Request ID: r1)";
    ProvisionedThroughputExceededException e =
        retried(
            (ProvisionedThroughputExceededException)
                ProvisionedThroughputExceededException.builder().statusCode(400).build(),
            throttled,
            throttled.replace("r1", "r2"));

    assertThat(SdkFaults.classify(e).mayHaveApplied()).isFalse();
  }

  @Test
  void attemptsWithoutHistory_assumedApplied() {
    ConditionalCheckFailedException e =
        (ConditionalCheckFailedException)
            ConditionalCheckFailedException.builder().statusCode(400).numAttempts(3).build();

    assertThat(SdkFaults.classify(e).earlierMayHaveApplied()).isTrue();
  }

  @Test
  void interrupted_whateverTheSdkWrapsItIn() {
    assertThat(SdkFaults.classify(AbortedException.create("Thread was interrupted")).last())
        .isEqualTo(Delivery.INTERRUPTED);
    assertThat(SdkFaults.classify(io(new InterruptedIOException("interrupted"))).last())
        .isEqualTo(Delivery.INTERRUPTED);
    assertThat(SdkFaults.interrupted(io(new SocketTimeoutException("Read timed out")))).isFalse();
  }
}
