package dev.gtguard.samples;

import dev.gtguard.LostWrite;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.testkit.Lag;
import dev.gtguard.testkit.LocalGlobalTable;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The London incident, replayed on the local Global Table: subscriber 4711 at version 17; the
 * eu-west-1 portal changes the delivery address at 14:07:12.140; 49 ms later the us-east-1
 * retention job sets {@code last_contacted}; replication takes about a second. Both writes are
 * acknowledged; last-writer-wins per item keeps one whole item and drops the other write.
 */
final class LondonScenario implements Scenario {
  static final String EU = "eu-west-1";
  static final String US = "us-east-1";
  private static final String PK = "subscriber#4711";
  private static final String OLD_ADDRESS = "12 Old Kent Road, London";
  private static final String NEW_ADDRESS = "221B Baker Street, London";
  private static final String CONTACTED = "2024-11-22T14:07:12.189Z";

  private final LocalGlobalTable global;
  private final Lag lag;

  LondonScenario(LocalGlobalTable global, Lag lag) {
    this.global = global;
    this.lag = lag;
  }

  @Override
  public String name() {
    return "london";
  }

  @Override
  public void run(PrintStream out) {
    out.printf(
        "%n== london: one subscriber, two regions, two writes 49 ms apart, replication lag ~%d ms%n",
        lag.fixed().toMillis());
    global.lag(lag);
    runMode(out, "as-deployed");
    runMode(out, "versioned");
    runMode(out, "home-routed");
    global.reset();
  }

  private void runMode(PrintStream out, String modeName) {
    String table = global.createTable("subscribers-london", "pk");
    WriteLedger ledger = Subscribers.ledger(global);
    WriteMode mode =
        switch (modeName) {
          case "as-deployed" -> WriteMode.asDeployed(global::client, table);
          case "versioned" ->
              WriteMode.versioned(region -> Subscribers.local(global, table, ledger, region));
          default ->
              WriteMode.homeRouted(region -> Subscribers.homeRouted(global, table, ledger, region));
        };
    Map<String, AttributeValue> seed = new LinkedHashMap<>();
    seed.put("pk", AttributeValue.fromS(PK));
    seed.put("delivery_address", AttributeValue.fromS(OLD_ADDRESS));
    seed.put("last_contacted", AttributeValue.fromS("2024-10-01T09:00:00Z"));
    seed.put(Subscribers.HOME_ATTRIBUTE, AttributeValue.fromS(EU));
    seed.put("version", AttributeValue.fromN("17"));
    seed.put("write_token", AttributeValue.fromS("01JCSEED000000000000000017"));
    global.client(EU).putItem(r -> r.tableName(table).item(seed));
    global.awaitQuiescence(Duration.ofSeconds(30));

    out.printf("%n-- mode %s%n", modeName);
    printItems(out, table, "before");
    Oracle oracle = new Oracle();
    // Two independent processes: the portal writes at t0, the retention job 49 ms after t0,
    // whether or not the portal's write has returned by then.
    long t0 = System.nanoTime();
    CompletableFuture<String> portal =
        CompletableFuture.supplyAsync(() -> mode.set(EU, PK, "delivery_address", NEW_ADDRESS));
    CompletableFuture<String> job =
        CompletableFuture.supplyAsync(
            () -> {
              sleepUntil(t0 + Duration.ofMillis(49).toNanos());
              return mode.set(US, PK, "last_contacted", CONTACTED);
            });
    String portalAck = portal.join();
    oracle.acknowledged(PK, "delivery_address", NEW_ADDRESS, EU);
    String jobAck = job.join();
    oracle.acknowledged(PK, "last_contacted", CONTACTED, US);
    out.printf(
        "   14:07:12.140  eu-west-1 portal        SET delivery_address = '%s'  -> %s%n",
        NEW_ADDRESS, portalAck);
    out.printf(
        "   14:07:12.189  us-east-1 retention    SET last_contacted = '%s'  -> %s%n",
        CONTACTED, jobAck);

    global.awaitQuiescence(Duration.ofSeconds(30));
    printItems(out, table, "after replication");
    Map<String, AttributeValue> survivor = subscriber(EU, table);
    List<Oracle.Write> lost = oracle.lost(Map.of(PK, survivor));
    for (Oracle.Write w : lost) {
      out.printf(
          "   LOST: %s's write %s = '%s' was acknowledged and is gone from every region.%n",
          w.region(), w.attribute(), w.value());
    }
    out.println(
        switch (modeName) {
          case "as-deployed" ->
              "   No exception, no metric, no log line: each region kept the whole item with the later\n"
                  + "   timestamp, so the address change was replaced by the retention job's copy of the item.";
          case "versioned" ->
              "   Both writes passed their version check, because each region checked its own replica\n"
                  + "   (both at version 17) and both wrote version 18. Versions alone cannot see this loss;\n"
                  + "   but every write also appended a ledger entry (version, token, parent token, changes).";
          default ->
              "   The subscriber's home_region is eu-west-1, so the retention job's write went there too:\n"
                  + "   one replica, one version check, versions 18 then 19, and both changes survive.";
        });
    List<LostWrite> detected = List.of();
    if (modeName.equals("as-deployed")) {
      out.println(
          "   detected=0: as deployed, nothing records the writes, so nothing can tell the loss apart.");
    } else {
      detected = Subscribers.detect(global, ledger, Subscribers.local(global, table, ledger, EU));
      for (LostWrite d : detected) {
        out.printf(
            "   DETECTED by the write ledger: %s's write, version %d, token %s, set %s;%n"
                + "   replaced by version %d token %s. VersionedTable.repair(lost) re-applies it.%n",
            d.region(),
            d.version(),
            d.writeToken(),
            render(d.changes().set()),
            d.survivingVersion(),
            d.survivingToken());
      }
    }
    out.println(
        String.format(
            Locale.ROOT,
            "RESULT scenario=london mode=%s acknowledged=%d lost=%d detected=%d",
            modeName,
            oracle.acknowledged(),
            lost.size(),
            detected.size()));
  }

  private static String render(Map<String, AttributeValue> values) {
    StringBuilder text = new StringBuilder();
    values.forEach(
        (name, value) ->
            text.append(text.length() == 0 ? "" : ", ")
                .append(name)
                .append("='")
                .append(value.s())
                .append("'"));
    return text.toString();
  }

  private void printItems(PrintStream out, String table, String when) {
    out.printf("   item %s, %s:%n", PK, when);
    for (String region : List.of(EU, US)) {
      Map<String, AttributeValue> item = subscriber(region, table);
      out.printf(
          "     %-10s version=%s delivery_address='%s' last_contacted='%s'%n",
          region,
          item.get("version").n(),
          item.get("delivery_address").s(),
          item.get("last_contacted").s());
    }
  }

  /** The subscriber as one region's replica holds it, strongly consistent. */
  private Map<String, AttributeValue> subscriber(String region, String table) {
    return global
        .client(region)
        .getItem(
            r ->
                r.tableName(table).key(Map.of("pk", AttributeValue.fromS(PK))).consistentRead(true))
        .item();
  }

  private static void sleepUntil(long nanoTime) {
    long remaining;
    while ((remaining = nanoTime - System.nanoTime()) > 0) {
      try {
        Thread.sleep(remaining / 1_000_000, (int) (remaining % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
