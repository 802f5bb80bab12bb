package dev.gtguard.samples;

import dev.gtguard.LostWrite;
import dev.gtguard.VersionedTable;
import dev.gtguard.exception.GlobalTablesException;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.testkit.Lag;
import dev.gtguard.testkit.LocalGlobalTable;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Many subscribers, three regions: each region's portal changes the addresses of the subscribers
 * who live there, while a retention job in us-east-1 stamps {@code last_contacted} on all of them.
 * An oracle records every acknowledged write and checks it against the converged state.
 */
final class LoadScenario implements Scenario {
  static final String JOB_REGION = "us-east-1";

  private final LocalGlobalTable global;
  private final int subscribers;
  private final Duration duration;
  private final Lag lag;

  LoadScenario(LocalGlobalTable global, int subscribers, Duration duration, Lag lag) {
    this.global = global;
    this.subscribers = subscribers;
    this.duration = duration;
    this.lag = lag;
  }

  @Override
  public String name() {
    return "load";
  }

  @Override
  public void run(PrintStream out) throws Exception {
    out.printf(
        "%n== load: %d subscribers homed round-robin in %s.%n"
            + "   For %d s each region's portal changes the addresses of its own subscribers while a%n"
            + "   retention job in %s sets last_contacted on all of them; replication lag %d..%d ms.%n",
        subscribers,
        global.regions(),
        duration.toSeconds(),
        JOB_REGION,
        lag.fixed().toMillis(),
        lag.fixed().plus(lag.jitter()).toMillis());
    global.lag(lag);
    runMode(out, "as-deployed");
    runMode(out, "versioned");
    runMode(out, "home-routed");
    global.reset();
  }

  private String home(int subscriber) {
    return global.regions().get(subscriber % global.regions().size());
  }

  private static String pk(int subscriber) {
    return "subscriber#" + subscriber;
  }

  private void runMode(PrintStream out, String modeName) throws Exception {
    String tableName = global.createTable("subscribers-load", "pk");
    WriteLedger ledger = Subscribers.ledger(global);
    Map<String, VersionedTable> tables = new HashMap<>();
    Function<String, VersionedTable> table =
        region ->
            tables.computeIfAbsent(
                region,
                r ->
                    modeName.equals("home-routed")
                        ? Subscribers.homeRouted(global, tableName, ledger, r)
                        : Subscribers.local(global, tableName, ledger, r));
    global.regions().forEach(table::apply);
    WriteMode mode =
        switch (modeName) {
          case "as-deployed" -> WriteMode.asDeployed(global::client, tableName);
          case "versioned" -> WriteMode.versioned(table);
          default -> WriteMode.homeRouted(table);
        };
    for (int i = 0; i < subscribers; i++) {
      Map<String, AttributeValue> item =
          Map.of(
              "pk",
              AttributeValue.fromS(pk(i)),
              Subscribers.HOME_ATTRIBUTE,
              AttributeValue.fromS(home(i)),
              "delivery_address",
              AttributeValue.fromS("initial"),
              "last_contacted",
              AttributeValue.fromS("never"));
      if (modeName.equals("as-deployed")) {
        global.client(home(i)).putItem(r -> r.tableName(tableName).item(item));
      } else {
        table.apply(home(i)).create(item);
      }
    }
    global.awaitQuiescence(Duration.ofSeconds(60));

    Oracle oracle = new Oracle();
    AtomicLong values = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    long deadline = System.nanoTime() + duration.toNanos();
    List<Runnable> writers = new ArrayList<>();
    for (String region : global.regions()) {
      writers.add(
          () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (System.nanoTime() < deadline) {
              int s = random.nextInt(subscribers);
              if (!home(s).equals(region)) {
                continue;
              }
              write(
                  mode,
                  oracle,
                  refused,
                  region,
                  s,
                  "delivery_address",
                  "address-" + values.incrementAndGet());
              pause(random);
            }
          });
    }
    writers.add(
        () -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int s = 0; System.nanoTime() < deadline; s = (s + 1) % subscribers) {
            write(
                mode,
                oracle,
                refused,
                JOB_REGION,
                s,
                "last_contacted",
                "contacted-" + values.incrementAndGet());
            pause(random);
          }
        });
    ExecutorService pool = Executors.newFixedThreadPool(writers.size());
    try {
      List<Future<?>> futures = new ArrayList<>();
      writers.forEach(w -> futures.add(pool.submit(w)));
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    global.awaitQuiescence(Duration.ofSeconds(60));

    Map<String, Map<String, AttributeValue>> finalItems = new HashMap<>();
    global
        .scan(global.regions().get(0), tableName)
        .forEach((key, item) -> finalItems.put(key.get("pk").s(), item));
    List<Oracle.Write> lost = oracle.lost(finalItems);
    out.printf(
        "%n-- mode %s: %d writes acknowledged%s, %d of them lost after replication converged%n",
        modeName,
        oracle.acknowledged(),
        refused.get() == 0 ? "" : " (" + refused.get() + " refused with an error, not counted)",
        lost.size());
    lost.stream()
        .limit(3)
        .forEach(
            w ->
                out.printf(
                    "   e.g. LOST %s in %s: %s = '%s'%n",
                    w.item(), w.region(), w.attribute(), w.value()));
    List<LostWrite> detected =
        modeName.equals("as-deployed")
            ? List.of()
            : Subscribers.detect(global, ledger, table.apply(global.regions().get(0)));
    out.printf(
        "   %s%n",
        modeName.equals("as-deployed")
            ? "detected=0: as deployed, nothing records the writes."
            : "The write ledger + reconciler found "
                + detected.size()
                + " lost writes to re-apply.");
    out.println(
        String.format(
            Locale.ROOT,
            "RESULT scenario=load mode=%s acknowledged=%d lost=%d detected=%d",
            modeName,
            oracle.acknowledged(),
            lost.size(),
            detected.size()));
  }

  private static void write(
      WriteMode mode,
      Oracle oracle,
      AtomicLong refused,
      String region,
      int subscriber,
      String attribute,
      String value) {
    try {
      mode.set(region, pk(subscriber), attribute, value);
      oracle.acknowledged(pk(subscriber), attribute, value, region);
    } catch (GlobalTablesException e) {
      refused.incrementAndGet(); // not acknowledged, so not a lost write: the caller knows
    }
  }

  private static void pause(ThreadLocalRandom random) {
    try {
      Thread.sleep(5 + random.nextInt(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
