package dev.gtguard.detect;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.gtguard.LostWrite;
import java.util.Objects;

/**
 * A ready AWS Lambda function for a table's DynamoDB Stream: extend it, say which table, and where
 * lost writes go. Attach it to the stream of every region's replica (one function per region), with
 * {@code ReportBatchItemFailures} turned on in the event source mapping.
 *
 * <pre>{@code
 * public class SubscriberLostWrites extends LostWriteLambdaFunction {
 *   private final SnsClient sns = SnsClient.create();
 *
 *   public SubscriberLostWrites() {
 *     super(StreamDetector.builder()
 *         .table(TableDescription.of("subscribers", "pk"))
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
 * <p>The event source mapping must report batch item failures, or Lambda ignores the response this
 * function returns and moves past losses it could not deliver. In a SAM template, on the function's
 * {@code DynamoDB} event: {@code FunctionResponseTypes: [ReportBatchItemFailures]}; with the CLI:
 * {@code aws lambda update-event-source-mapping --uuid <id> --function-response-types
 * ReportBatchItemFailures}. See {@link LambdaStreamHandler} for a full template snippet and the
 * permissions the function needs.
 *
 * <p>Every delivered loss is also logged at WARN under the logger {@code dev.gtguard}. If {@link
 * #onLostWrite} throws (an {@link Error} too, except a {@link VirtualMachineError}), that loss is
 * not marked delivered, its record is returned as the batch's item failure, the records after it
 * are left unread, and Lambda retries from that record, which then delivers the loss again. So
 * delivery to {@code onLostWrite} is at least once (deduplicate by {@link LostWrite#writeToken()}
 * if that matters). Apart from such retries, one function instance delivers each loss once; a new
 * instance does not know what earlier ones delivered.
 */
public abstract class LostWriteLambdaFunction
    implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
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

  /**
   * Where each lost write goes. Returning normally means delivered; throwing makes Lambda retry
   * from this loss's record.
   *
   * @throws Exception if the loss could not be delivered
   */
  protected abstract void onLostWrite(LostWrite lost) throws Exception;

  /**
   * Detects the batch's lost writes and hands each to {@link #onLostWrite}, in record order.
   *
   * @return no item failures, or the record whose loss {@link #onLostWrite} refused
   */
  @Override
  public final StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    return handler.handle(event, this::onLostWrite);
  }
}
