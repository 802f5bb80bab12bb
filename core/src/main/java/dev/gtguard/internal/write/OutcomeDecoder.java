package dev.gtguard.internal.write;

import dev.gtguard.VersionedItem;
import dev.gtguard.internal.ItemCodec;
import dev.gtguard.internal.VersionedItems;
import dev.gtguard.internal.write.SdkFaults.Delivery;
import dev.gtguard.internal.write.SdkFaults.Fault;
import dev.gtguard.spi.WriteOperation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ReplicatedWriteConflictException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * Turns what DynamoDB answered to one attempt into an {@link Outcome}. When the attempt (or an
 * earlier attempt the SDK retried) may have been applied, the answer is not taken at face value:
 * the item is read in the region written to, strongly consistent, and the {@link OutcomeResolver}
 * decides from its write token whether our write is in it. Nothing of ours is ever reported "not
 * written" unless that is proven, and a function is never applied again on top of itself.
 */
final class OutcomeDecoder {
  private final ItemCodec codec;
  private final ItemReader reader;
  private final OutcomeResolver resolver;

  OutcomeDecoder(ItemCodec codec, ItemReader reader, WriteExecutor executor) {
    this.codec = codec;
    this.reader = reader;
    this.resolver = new OutcomeResolver(codec, executor);
  }

  /** An acknowledged attempt; {@code returned} is the item when the response carried it. */
  Outcome stored(
      VersionedWrite write, Base base, Route route, Map<String, AttributeValue> returned) {
    VersionedItem stored =
        switch (write.operation()) {
          case CREATE -> codec.read(write.item(), write.key());
          case UPDATE ->
              returned != null && !returned.isEmpty()
                  ? codec.readOwned(returned, write.key())
                  : codec.readOwned(
                      codec.applied(
                          base.state().attributes(),
                          write.parentToken(),
                          write.changes(),
                          write.version(),
                          write.token()),
                      write.key());
          default -> null;
        };
    return new Outcome.Stored(
        stored == null
            ? null
            : VersionedItems.acknowledged(stored, route.region(), write.changes()));
  }

  /**
   * An attempt that failed. {@code pending} holds earlier attempts on the same base whose outcome
   * is still open; this attempt is added to it when it may have been applied, and it is cleared
   * once none of them can have been. When something of ours may have been applied and DynamoDB
   * returned no item, the item is read in the region written to (strongly consistent) and the
   * resolver decides; a failed read leaves the outcome open.
   */
  CompletableFuture<Outcome> failed(
      VersionedWrite write, Base base, Route route, List<VersionedWrite> pending, SdkException e) {
    Fault fault = SdkFaults.classify(e);
    if (fault.last() == Delivery.INTERRUPTED) {
      return done(new Outcome.Interrupted(fault.mayHaveApplied() || !pending.isEmpty(), e));
    }
    if (fault.mayHaveApplied()) {
      pending.add(write);
    }
    if (e instanceof ConditionalCheckFailedException refused) {
      VersionedItem now =
          refused.hasItem() && !refused.item().isEmpty()
              ? codec.readOwned(refused.item(), write.key())
              : null;
      if (pending.isEmpty()) {
        return done(refusal(write, route, now, e));
      }
      return resolver
          .resolve(now, base, pending, route)
          .thenApply(
              resolution ->
                  decided(
                      resolution, write, route, pending, e, now, refusal(write, route, now, e)));
    }
    if (pending.isEmpty()) {
      return done(refusedOrUnsent(write, fault, e));
    }
    // Something of ours may have been applied: the item in the region written to tells.
    return reader
        .read(route.region(), write.key(), true)
        .handle(
            (now, readError) -> {
              if (readError == null) {
                return afterRead(write, base, route, pending, e, fault, now.orElse(null));
              }
              Throwable readFailure = Futures.unwrap(readError);
              e.addSuppressed(readFailure);
              return done(
                  SdkFaults.interrupted(readFailure)
                      ? new Outcome.Interrupted(true, e)
                      : new Outcome.Unknown(e));
            })
        .thenCompose(outcome -> outcome);
  }

  /** Once the item as it is now ({@code null}: absent) has been read. */
  private CompletableFuture<Outcome> afterRead(
      VersionedWrite write,
      Base base,
      Route route,
      List<VersionedWrite> pending,
      SdkException e,
      Fault fault,
      VersionedItem now) {
    Outcome notYet =
        fault.last() == Delivery.REFUSED
            ? refusedOrUnsent(write, fault, e)
            : new Outcome.NotYetApplied(e);
    return resolver
        .resolve(now, base, pending, route)
        .thenApply(resolution -> decided(resolution, write, route, pending, e, now, notYet));
  }

  /** The outcome a resolution gives: {@code notYet} when our attempts have not applied yet. */
  private Outcome decided(
      OutcomeResolver.Resolution resolution,
      VersionedWrite write,
      Route route,
      List<VersionedWrite> pending,
      SdkException e,
      VersionedItem now,
      Outcome notYet) {
    return switch (resolution.verdict()) {
      case APPLIED -> new Outcome.Stored(resolution.stored());
      case UNKNOWN -> new Outcome.Unknown(e);
      case NOT_YET -> notYet;
      case NOT_APPLIED -> {
        pending.clear();
        yield refusal(write, route, now, e);
      }
    };
  }

  private static CompletableFuture<Outcome> done(Outcome outcome) {
    return CompletableFuture.completedFuture(outcome);
  }

  /** Nothing of ours was applied: DynamoDB refused, or the region was never reached. */
  private static Outcome refusedOrUnsent(VersionedWrite write, Fault fault, SdkException e) {
    if (fault.last() == Delivery.NOT_SENT) {
      return new Outcome.Unreachable(e);
    }
    if (e instanceof ReplicatedWriteConflictException
        || e instanceof TransactionConflictException) {
      return new Outcome.Contended(e);
    }
    if (e instanceof DynamoDbException d) {
      return new Outcome.Failed(Refusals.typed(d, write.tableName(), write.key()));
    }
    return new Outcome.Failed(e);
  }

  /** Why a write that was not applied was refused, from the item as it is now. */
  private Outcome refusal(VersionedWrite write, Route route, VersionedItem now, SdkException e) {
    if (write.operation() == WriteOperation.CREATE) {
      return now != null ? new Outcome.AlreadyExists(now, e) : new Outcome.Unknown(e);
    }
    if (now == null) {
      return new Outcome.NotFound(e);
    }
    if (route.checkHome()) {
      AttributeValue home = now.get(route.homeAttribute());
      String named = home == null ? null : home.s();
      if (!route.region().equals(named)) {
        return new Outcome.Moved(now, named == null ? route.region() : named, e);
      }
    }
    if (now.expected().equals(write.expected()) && write.operation() == WriteOperation.UPDATE) {
      return new Outcome.ConditionNotMet(now, e);
    }
    return new Outcome.Conflict(now, e);
  }
}
