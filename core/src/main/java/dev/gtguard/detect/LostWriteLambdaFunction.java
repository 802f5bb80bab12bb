package dev.gtguard.detect;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.gtguard.LostWrite;
import java.util.List;
import java.util.Objects;

/**
 * A ready AWS Lambda function for a table's DynamoDB Stream: extend it, say which table, and where
 * lost writes go. Attach it to the stream of every region's replica (one function per region).
 *
 * <pre>{@code
 * public class SubscriberLostWrites extends LostWriteLambdaFunction {
 *   private final SnsClient sns = SnsClient.create();
 *
 *   public SubscriberLostWrites() {
 *     super(StreamDetector.builder()
 *         .tableName("subscribers")
 *         .partitionKey("pk")
 *         .region(System.getenv("AWS_REGION"))
 *         .build());
 *   }
 *
 *   @Override
 *   protected void onLostWrite(LostWrite lost) {
 *     sns.publish(p -> p.topicArn(TOPIC).message("lost " + lost.key() + " v" + lost.version()));
 *   }
 * }
 * }</pre>
 *
 * <p>Every loss is also logged at WARN under the logger {@code dev.gtguard}. If {@link
 * #onLostWrite} throws, the exception fails the invocation so that Lambda retries the batch, and
 * the batch's losses are reported again then: delivery to {@code onLostWrite} is at least once
 * (deduplicate by {@link LostWrite#writeToken()} if that matters). Apart from such retries, one
 * function instance delivers each loss once; a new instance does not know what earlier ones
 * delivered.
 */
public abstract class LostWriteLambdaFunction implements RequestHandler<DynamodbEvent, Void> {
  private final LambdaStreamHandler handler;

  /**
   * @param detector which table, attribute names and fallback region
   * @throws NullPointerException if {@code detector} is null
   */
  protected LostWriteLambdaFunction(StreamDetector detector) {
    this.handler =
        LambdaStreamHandler.builder()
            .detector(Objects.requireNonNull(detector, "detector"))
            .build();
  }

  /** Where each lost write goes; an exception makes Lambda retry the batch. */
  protected abstract void onLostWrite(LostWrite lost);

  /** Detects the batch's lost writes and hands each to {@link #onLostWrite}. */
  @Override
  public final Void handleRequest(DynamodbEvent event, Context context) {
    List<LostWrite> found = handler.handle(event);
    try {
      for (LostWrite lost : found) {
        onLostWrite(lost);
      }
    } catch (RuntimeException e) {
      handler.forget(found); // the retried batch must report them again
      throw e;
    }
    return null;
  }
}
