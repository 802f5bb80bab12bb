package dev.gtguard.benchmarks;

import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.UpdateFunction;
import dev.gtguard.testkit.RequestCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Writers that each increment {@code count} on their key with {@code update(key, fn)} in a loop,
 * one update at a time, until {@link #stop()}. Subclasses own their client, table and threads, and
 * release them on {@link #close()}.
 */
abstract class Writers implements AutoCloseable {
  /**
   * Connections (blocking) or concurrent requests (asynchronous) a client may hold: one a writer.
   */
  static final int CONNECTIONS = 64;

  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

  /** Adds one to the item's {@code count}. */
  static final UpdateFunction INCREMENT =
      item -> Changes.builder().set("count", Long.parseLong(item.get("count").n()) + 1).build();

  final List<ItemKey> keys;
  final List<Tally> tallies = new ArrayList<>();

  /**
   * The client's API calls by operation, each counted once however often the SDK resent it: every
   * attempt of {@code update(key, fn)} is one UpdateItem, its first read one GetItem.
   */
  final RequestCounter requests = new RequestCounter();

  volatile boolean running = true;
  private volatile boolean measuring;

  /** One writer per key of {@code keys}; a key may repeat (the hot key: the same key 64 times). */
  Writers(List<ItemKey> keys) {
    this.keys = List.copyOf(keys);
    for (int i = 0; i < keys.size(); i++) {
      tallies.add(new Tally());
    }
  }

  /** Starts every writer. */
  abstract void start();

  /** Stops starting updates and waits until every writer's last update has completed. */
  abstract void stop() throws InterruptedException;

  /** Whether an update completing now counts toward the measured window. */
  final boolean measuring() {
    return measuring;
  }

  /** UpdateItem calls (attempts) sent in the measured window. */
  long windowAttempts;

  /** Opens the measured window: counts from now on. */
  final void openWindow() {
    requests.reset();
    measuring = true;
  }

  /**
   * Closes the measured window at {@code nanoTime}: each writer's update still in flight is counted
   * by its age (see {@link Tally#windowClosed}).
   */
  final void closeWindow(long nanoTime) {
    measuring = false;
    windowAttempts = requests.count("UpdateItem");
    tallies.forEach(t -> t.windowClosed(nanoTime));
  }

  /**
   * Threads named {@code prefix-1}, {@code prefix-2}, ...; daemons, so a hang cannot keep the JVM.
   */
  static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public abstract void close();
}
