package dev.gtguard.testkit.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Instances shared by the whole JVM, one per key: started on first use, stopped by a JVM shutdown
 * hook (registered with the first instance), never by their users.
 */
public final class SharedInstances<T> {
  private final Map<List<String>, T> instances = new ConcurrentHashMap<>();
  private final AtomicBoolean hooked = new AtomicBoolean();
  private final String name;
  private final Consumer<T> stop;

  /**
   * @param name names the shutdown hook's thread
   * @param stop how the hook stops an instance
   */
  public SharedInstances(String name, Consumer<T> stop) {
    this.name = name;
    this.stop = stop;
  }

  /** The instance for {@code key}, started by {@code start} if there is none yet. */
  public T get(List<String> key, Function<List<String>, T> start) {
    T instance = instances.get(key);
    if (instance != null) {
      return instance;
    }
    return instances.computeIfAbsent(
        List.copyOf(key),
        k -> {
          if (hooked.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, name + "-shutdown"));
          }
          return start.apply(k);
        });
  }

  private void stopAll() {
    for (T instance : instances.values()) {
      try {
        stop.accept(instance);
      } catch (RuntimeException e) {
        // The JVM is exiting; a server that does not stop cleanly changes nothing.
      }
    }
  }
}
