package dev.gtguard.internal.write;

import dev.gtguard.VersionedItem;
import dev.gtguard.internal.ItemCodec;
import dev.gtguard.internal.VersionedItems;
import dev.gtguard.internal.write.OutcomeResolver.Resolution;
import dev.gtguard.internal.write.SdkFaults.Delivery;
import dev.gtguard.internal.write.SdkFaults.Fault;
import dev.gtguard.spi.WriteOperation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
                  ? codec.read(returned, write.key())
                  : codec.read(
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
   * once none of them can have been.
   */
  Outcome failed(
      VersionedWrite write, Base base, Route route, List<VersionedWrite> pending, SdkException e) {
    Outcome outcome = failedBeforeRead(write, base, route, pending, e);
    if (outcome != null) {
      return outcome;
    }
    // Something of ours may have been applied: the item in the region written to tells.
    Optional<VersionedItem> now;
    try {
      now = reader.read(route.client(), write.key(), true);
    } catch (SdkException readFailure) {
      return readFailed(e, readFailure);
    }
    return failedAfterRead(write, base, route, pending, e, now.orElse(null));
  }

  /**
   * The first half of {@link #failed}, which never reads: the outcome, or {@code null} when it
   * turns on the item as it is now in {@code route}'s region; then read it (strongly consistent)
   * and call {@link #failedAfterRead}, or {@link #readFailed} if the read fails. The asynchronous
   * loop reads in between without blocking.
   */
  Outcome failedBeforeRead(
      VersionedWrite write, Base base, Route route, List<VersionedWrite> pending, SdkException e) {
    Fault fault = SdkFaults.classify(e);
    if (fault.last() == Delivery.INTERRUPTED) {
      return new Outcome.Interrupted(fault.mayHaveApplied() || !pending.isEmpty(), e);
    }
    if (fault.mayHaveApplied()) {
      pending.add(write);
    }
    if (e instanceof ConditionalCheckFailedException refused) {
      VersionedItem now =
          refused.hasItem() && !refused.item().isEmpty()
              ? codec.read(refused.item(), write.key())
              : null;
      if (!pending.isEmpty()) {
        Resolution resolution = resolver.resolve(now, base, pending, route);
        switch (resolution.verdict()) {
          case APPLIED -> {
            return new Outcome.Stored(resolution.stored());
          }
          case UNKNOWN -> {
            return new Outcome.Unknown(e);
          }
          case NOT_APPLIED -> pending.clear();
          case NOT_YET -> {}
        }
      }
      return refusal(write, route, now, e);
    }
    if (pending.isEmpty()) {
      return refusedOrUnsent(write, fault, e);
    }
    return null;
  }

  /** The second half of {@link #failed}: {@code now} is the item read, or null if absent. */
  Outcome failedAfterRead(
      VersionedWrite write,
      Base base,
      Route route,
      List<VersionedWrite> pending,
      SdkException e,
      VersionedItem now) {
    Fault fault = SdkFaults.classify(e);
    Resolution resolution = resolver.resolve(now, base, pending, route);
    return switch (resolution.verdict()) {
      case APPLIED -> new Outcome.Stored(resolution.stored());
      case UNKNOWN -> new Outcome.Unknown(e);
      case NOT_YET ->
          fault.last() == Delivery.REFUSED
              ? refusedOrUnsent(write, fault, e)
              : new Outcome.NotYetApplied(e);
      case NOT_APPLIED -> {
        pending.clear();
        yield refusal(write, route, now, e);
      }
    };
  }

  /** When the read that would resolve an open outcome failed: it stays open. */
  Outcome readFailed(SdkException e, SdkException readFailure) {
    e.addSuppressed(readFailure);
    return SdkFaults.interrupted(readFailure)
        ? new Outcome.Interrupted(true, e)
        : new Outcome.Unknown(e);
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
