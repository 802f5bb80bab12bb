package dev.gtguard.internal;

import dev.gtguard.LostWrite;
import dev.gtguard.spi.FailoverWrite;
import dev.gtguard.spi.RetriesExhausted;
import dev.gtguard.spi.RetryScheduled;
import dev.gtguard.spi.WriteConflict;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spi.WriteRerouted;
import dev.gtguard.spi.WriteSucceeded;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans events out to the registered listeners; the SLF4J logging listener always comes first. */
public final class Listeners implements WriteListener {
  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

  private final List<WriteListener> listeners;

  public Listeners(List<WriteListener> userListeners) {
    this.listeners =
        Stream.concat(Stream.of(new LoggingWriteListener()), userListeners.stream()).toList();
  }

  @Override
  public void onWriteSucceeded(WriteSucceeded event) {
    each(l -> l.onWriteSucceeded(event));
  }

  @Override
  public void onConflict(WriteConflict event) {
    each(l -> l.onConflict(event));
  }

  @Override
  public void onRetry(RetryScheduled event) {
    each(l -> l.onRetry(event));
  }

  @Override
  public void onRetriesExhausted(RetriesExhausted event) {
    each(l -> l.onRetriesExhausted(event));
  }

  @Override
  public void onFailover(FailoverWrite event) {
    each(l -> l.onFailover(event));
  }

  @Override
  public void onRerouted(WriteRerouted event) {
    each(l -> l.onRerouted(event));
  }

  @Override
  public void onLostWrite(LostWrite lost) {
    each(l -> l.onLostWrite(lost));
  }

  private void each(Consumer<WriteListener> call) {
    for (WriteListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (VirtualMachineError fatal) {
        throw fatal; // out of memory, stack overflow: the JVM cannot go on, and must not pretend to
      } catch (Throwable e) {
        // A broken metrics hook (an Error included: a missing class, an assertion) must never turn
        // an acknowledged write into a failure, nor stop the other listeners.
        LOG.warn("write listener {} failed; ignoring", listener, e);
      }
    }
  }
}
