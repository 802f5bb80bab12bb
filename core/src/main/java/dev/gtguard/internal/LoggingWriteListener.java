package dev.gtguard.internal;

import dev.gtguard.LostWrite;
import dev.gtguard.spi.FailoverWrite;
import dev.gtguard.spi.RetriesExhausted;
import dev.gtguard.spi.RetryScheduled;
import dev.gtguard.spi.WriteConflict;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spi.WriteRerouted;
import dev.gtguard.spi.WriteSucceeded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The library's logging, under the logger {@code dev.gtguard}. */
final class LoggingWriteListener implements WriteListener {
  private static final Logger LOG = LoggerFactory.getLogger("dev.gtguard");

  @Override
  public void onWriteSucceeded(WriteSucceeded e) {
    if (!LOG.isTraceEnabled()) {
      return; // every write passes here: no arguments array, no boxing when it is off
    }
    LOG.trace(
        "{} {} {} in {}: version {} after {} attempt(s)",
        e.operation(),
        e.tableName(),
        e.key(),
        e.region(),
        e.version(),
        e.attempts());
  }

  @Override
  public void onConflict(WriteConflict e) {
    if (!LOG.isDebugEnabled()) {
      return;
    }
    LOG.debug(
        "{} {} {} in {}: attempt {} refused ({}), expected version {}, found {}",
        e.operation(),
        e.tableName(),
        e.key(),
        e.region(),
        e.attempt(),
        e.kind(),
        e.expectedVersion(),
        e.actualVersion());
  }

  @Override
  public void onRetry(RetryScheduled e) {
    if (!LOG.isDebugEnabled()) {
      return;
    }
    LOG.debug(
        "retrying {} {} in {}: attempt {} after {} ms",
        e.tableName(),
        e.key(),
        e.region(),
        e.nextAttempt(),
        e.delay().toMillis());
  }

  @Override
  public void onRetriesExhausted(RetriesExhausted e) {
    LOG.warn(
        "giving up on {} {} in {} after {} attempts; last seen version {}",
        e.tableName(),
        e.key(),
        e.region(),
        e.attempts(),
        e.lastSeenVersion());
  }

  @Override
  public void onFailover(FailoverWrite e) {
    LOG.warn(
        "{} {} {}: home region {} unreachable, written to {} instead; it may lose to a concurrent"
            + " write in {}",
        e.operation(),
        e.tableName(),
        e.key(),
        e.homeRegion(),
        e.writtenRegion(),
        e.homeRegion());
  }

  @Override
  public void onRerouted(WriteRerouted e) {
    LOG.debug(
        "{} {}: home moved from {} to {}", e.tableName(), e.key(), e.fromRegion(), e.toRegion());
  }

  @Override
  public void onLostWrite(LostWrite lost) {
    LOG.warn(
        "LOST WRITE ({}): table {} item {} version {} token {} acknowledged in/seen in {} was"
            + " overwritten by version {} token {}; lost attributes set {} removed {}",
        lost.source(),
        lost.tableName(),
        lost.key(),
        lost.version(),
        lost.writeToken(),
        lost.region(),
        lost.survivingVersion(),
        lost.survivingToken(),
        lost.changes().set().keySet(),
        lost.changes().remove());
  }
}
