package dev.gtguard.internal.write;

import dev.gtguard.ItemKey;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.InvalidItemException.Reason;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ItemCollectionSizeLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Turns DynamoDB's refusals of bad input into the typed {@link InvalidItemException} the README
 * promises, with the server's reason, for plain requests and transactions alike. Anything else
 * (throttling, access denied, a missing table) is returned unchanged: it propagates as the SDK's
 * own exception.
 */
public final class Refusals {
  private Refusals() {}

  public static RuntimeException typed(DynamoDbException e, String tableName, ItemKey key) {
    if (e instanceof TransactionCanceledException cancelled) {
      List<CancellationReason> reasons =
          cancelled.hasCancellationReasons() ? cancelled.cancellationReasons() : List.of();
      for (int i = 0; i < reasons.size(); i++) {
        String code = reasons.get(i).code();
        String message = String.valueOf(reasons.get(i).message());
        boolean ledger = i > 0;
        if ("ValidationError".equals(code)) {
          Reason reason =
              !sizeLimit(message)
                  ? Reason.INVALID_REQUEST
                  : ledger ? Reason.LEDGER_ENTRY_TOO_LARGE : Reason.ITEM_TOO_LARGE;
          return invalid(
              reason, (ledger ? "the write ledger entry: " : "") + message, e, tableName, key);
        }
        if ("ItemCollectionSizeLimitExceeded".equals(code)) {
          return invalid(Reason.ITEM_COLLECTION_TOO_LARGE, message, e, tableName, key);
        }
      }
      return e;
    }
    if (e instanceof ItemCollectionSizeLimitExceededException) {
      return invalid(Reason.ITEM_COLLECTION_TOO_LARGE, serverMessage(e), e, tableName, key);
    }
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    if ("ValidationException".equals(code)) {
      String message = serverMessage(e);
      Reason reason = sizeLimit(message) ? Reason.ITEM_TOO_LARGE : Reason.INVALID_REQUEST;
      return invalid(reason, message, e, tableName, key);
    }
    return e;
  }

  private static boolean sizeLimit(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("size") && m.contains("exceeded");
  }

  private static String serverMessage(DynamoDbException e) {
    return String.valueOf(
        e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
  }

  private static InvalidItemException invalid(
      Reason reason, String serverMessage, DynamoDbException e, String tableName, ItemKey key) {
    return new InvalidItemException(
        reason,
        "DynamoDB refused the write of "
            + key
            + " in table "
            + tableName
            + " ("
            + reason
            + "): "
            + serverMessage
            + "; nothing was written",
        tableName,
        key,
        e);
  }
}
