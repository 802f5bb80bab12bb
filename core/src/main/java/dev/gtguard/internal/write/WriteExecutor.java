package dev.gtguard.internal.write;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Sends versioned writes: plainly, or together with a write ledger entry. The only code of the
 * write path that builds DynamoDB write calls; whether they block is the {@link Transport}'s
 * business.
 */
public interface WriteExecutor {

  /**
   * Refuses, before anything is sent, a write this path cannot carry (a ledger entry over 400 KB).
   */
  void check(VersionedWrite write);

  /**
   * Sends one attempt.
   *
   * @return the item as DynamoDB stored it, when the response carries it (a plain update); else
   *     null. Completed exceptionally with the {@link
   *     software.amazon.awssdk.core.exception.SdkException} as the SDK threw it; a refusal of the
   *     write inside a transaction surfaces as the {@code ConditionalCheckFailedException} the
   *     plain request would have thrown, so that both paths are decoded alike
   */
  CompletableFuture<Map<String, AttributeValue>> send(Route route, VersionedWrite write);

  /**
   * Which of {@code attempts} were committed in {@code route}'s region, as far as this path can
   * prove it: an empty list when none was, {@code null} when it cannot tell.
   */
  CompletableFuture<List<VersionedWrite>> committed(Route route, List<VersionedWrite> attempts);

  /** Whether {@link #committed} can give an answer. */
  boolean proves();
}
