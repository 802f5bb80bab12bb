package dev.gtguard.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.LostWrite;
import dev.gtguard.ledger.Reconciler;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.spring.GtguardTables;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * The London incident over HTTP, against the local Global Table: one instance of the service in
 * eu-west-1 (the portal), one in us-east-1 (the retention job), replication lag 1 s. The portal
 * changes subscriber 4711's address; 49 ms later, before that has replicated, the job marks the
 * subscriber contacted. Both requests succeed. With {@code @HomeRegion} both writes are read and
 * written in eu-west-1, so neither overwrites the other: both instances read both changes, and the
 * write ledger's reconciler finds no lost write. When the two writes overlap in eu-west-1 (the
 * portal's address check is slow), the later one loses the version check, is counted as a conflict
 * in its instance's meters, and is re-applied on the other. Both instances' health shows both
 * regions.
 */
@LocalGlobalTableTest(
    regions = {"eu-west-1", "us-east-1"},
    lagMillis = 1000)
class LondonIncidentHttpTest {
  private static final String EU = LocalSubscribers.EU;
  private static final String US = LocalSubscribers.US;
  private static final Duration QUIET = Duration.ofSeconds(30);
  private static final String NEW_ADDRESS = "221B Baker Street, London";
  private static final String CONTACTED = "2024-11-22T14:07:12.189Z";

  private LocalGlobalTable global;
  private LocalSubscribers local;
  private ConfigurableApplicationContext portal;
  private ConfigurableApplicationContext job;

  @BeforeEach
  void setUp(LocalGlobalTable global) {
    this.global = global;
    local = new LocalSubscribers(global);
  }

  private void startBothRegions() {
    portal = local.start(EU, 0);
    job = local.start(US, 0);
  }

  @AfterEach
  void stop() {
    local.close();
  }

  @Test
  void asItHappened_bothWritesSucceed_andNothingIsLost() throws InterruptedException {
    startBothRegions();
    seed();

    Map<String, Object> portalWrite = changeAddress(portal);
    Thread.sleep(49);
    Map<String, Object> jobWrite = markContacted(job);

    assertThat(portalWrite).containsEntry("deliveryAddress", NEW_ADDRESS);
    assertThat(jobWrite)
        .as("the job's write, read and written in eu-west-1, kept the portal's")
        .containsEntry("deliveryAddress", NEW_ADDRESS)
        .containsEntry("lastContacted", CONTACTED)
        .containsEntry("version", 3);
    bothRegionsHoldBothWrites();
    // The job runs in us-east-1, its write was acknowledged by the subscriber's home, eu-west-1.
    assertThat(count(job, "gtguard.writes", "region:" + EU, "operation:update")).isEqualTo(1.0);
    assertThat(meterNames(job)).doesNotContain("gtguard.conflicts");
    assertThat(meterNames(portal)).doesNotContain("gtguard.conflicts");
  }

  @Test
  void overlappingWrites_conflictInTheHomeRegion_areRetried_andNothingIsLost() throws Exception {
    // The portal's address check is slow: it reads version 1, then the job writes version 2 in
    // eu-west-1 before the portal writes.
    CountDownLatch portalRead = new CountDownLatch(1);
    CountDownLatch jobWrote = new CountDownLatch(1);
    portal = local.start(EU, 0, slowAddressCheck(portalRead, jobWrote));
    job = local.start(US, 0);
    seed();

    CompletableFuture<Map<String, Object>> portalWrite =
        CompletableFuture.supplyAsync(() -> changeAddress(portal));
    assertThat(portalRead.await(30, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(49);
    Map<String, Object> jobWrite = markContacted(job);
    jobWrote.countDown();

    assertThat(jobWrite).containsEntry("version", 2);
    assertThat(portalWrite.get(30, TimeUnit.SECONDS))
        .as("the portal's change, re-applied to the job's write")
        .containsEntry("deliveryAddress", NEW_ADDRESS)
        .containsEntry("lastContacted", CONTACTED)
        .containsEntry("version", 3);
    bothRegionsHoldBothWrites();
    assertThat(count(portal, "gtguard.conflicts", "region:" + EU, "kind:version_mismatch"))
        .isEqualTo(1.0);
    assertThat(count(portal, "gtguard.retries", "region:" + EU)).isEqualTo(1.0);
    assertThat(count(job, "gtguard.writes", "region:" + EU, "operation:update")).isEqualTo(1.0);
    assertThat(meterNames(job)).doesNotContain("gtguard.conflicts");
  }

  @Test
  void eachInstancesHealth_showsBothRegions() {
    startBothRegions();
    for (ConfigurableApplicationContext instance : List.of(portal, job)) {
      Map<String, Object> health =
          http(instance).get().uri("/actuator/health/gtguard").retrieve().body(JSON);
      assertThat(health).containsEntry("status", "UP");
      @SuppressWarnings("unchecked")
      Map<String, Object> details = (Map<String, Object>) health.get("details");
      assertThat(details).containsEntry("unavailableRegions", List.of());
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Object>> regions =
          (Map<String, Map<String, Object>>) details.get("regions");
      assertThat(regions).containsOnlyKeys(EU, US);
      regions.values().forEach(region -> assertThat(region).containsEntry("status", "UP"));
    }
    assertThat(http(job).get().uri("/actuator/health/gtguard").retrieve().body(JSON))
        .extracting(h -> ((Map<?, ?>) h.get("details")).get("localRegion"))
        .isEqualTo(US);
  }

  @Test
  void anUnknownSubscriber_isAProblemDetail404() {
    job = local.start(US, 0);
    HttpStatus status =
        http(job)
            .put()
            .uri("/subscribers/0000/address")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("address", NEW_ADDRESS))
            .exchange(
                (request, response) -> {
                  assertThat(response.getHeaders().getContentType())
                      .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
                  return HttpStatus.valueOf(response.getStatusCode().value());
                });
    assertThat(status).isEqualTo(HttpStatus.NOT_FOUND);
  }

  private void seed() {
    http(portal)
        .post()
        .uri("/subscribers")
        .contentType(MediaType.APPLICATION_JSON)
        .body(
            Map.of(
                "id", "4711",
                "deliveryAddress", "12 Old Kent Road, London",
                "lastContacted", "2024-10-01T09:00:00Z",
                "homeRegion", EU))
        .retrieve()
        .toBodilessEntity();
    global.awaitQuiescence(QUIET);
  }

  private static Map<String, Object> changeAddress(ConfigurableApplicationContext instance) {
    return http(instance)
        .put()
        .uri("/subscribers/4711/address")
        .contentType(MediaType.APPLICATION_JSON)
        .body(Map.of("address", NEW_ADDRESS))
        .retrieve()
        .body(JSON);
  }

  private static Map<String, Object> markContacted(ConfigurableApplicationContext instance) {
    return http(instance)
        .post()
        .uri("/subscribers/4711/contacted")
        .contentType(MediaType.APPLICATION_JSON)
        .body(Map.of("at", CONTACTED))
        .retrieve()
        .body(JSON);
  }

  /** Both instances read both writes at version 3, and the ledger's reconciler finds no loss. */
  private void bothRegionsHoldBothWrites() {
    global.awaitQuiescence(QUIET);
    for (ConfigurableApplicationContext instance : List.of(portal, job)) {
      assertThat(http(instance).get().uri("/subscribers/4711").retrieve().body(JSON))
          .containsEntry("deliveryAddress", NEW_ADDRESS)
          .containsEntry("lastContacted", CONTACTED)
          .containsEntry("version", 3);
    }
    assertThat(ledgerLosses()).as("the reconciler finds no lost write").isEmpty();
  }

  /** An address check that, the first time, says it has read and waits for the job's write. */
  private static ApplicationContextInitializer<GenericApplicationContext> slowAddressCheck(
      CountDownLatch read, CountDownLatch proceed) {
    AtomicBoolean first = new AtomicBoolean(true);
    return context ->
        context.registerBean(
            AddressCheck.class,
            () ->
                (subscriber, address) -> {
                  if (first.getAndSet(false)) {
                    read.countDown();
                    try {
                      proceed.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                });
  }

  @SuppressWarnings("unchecked")
  private static List<String> meterNames(ConfigurableApplicationContext instance) {
    return (List<String>)
        http(instance).get().uri("/actuator/metrics").retrieve().body(JSON).get("names");
  }

  private List<LostWrite> ledgerLosses() {
    return Reconciler.builder()
        .ledger(WriteLedger.builder().tableName(local.ledger()).build())
        .ledgerClient(global.client(EU))
        .table(portal.getBean(GtguardTables.class).table(Subscriber.class).versionedTable())
        .build()
        .run()
        .lost();
  }

  /** The COUNT measurement of a meter, through the Actuator metrics endpoint. */
  @SuppressWarnings("unchecked")
  private static double count(
      ConfigurableApplicationContext instance, String meter, String... tags) {
    Map<String, Object> metric =
        http(instance)
            .get()
            .uri(
                u ->
                    u.path("/actuator/metrics/" + meter).queryParam("tag", (Object[]) tags).build())
            .retrieve()
            .body(JSON);
    for (Map<String, Object> measurement : (List<Map<String, Object>>) metric.get("measurements")) {
      if ("COUNT".equals(measurement.get("statistic"))) {
        return ((Number) measurement.get("value")).doubleValue();
      }
    }
    throw new AssertionError("no COUNT in " + metric);
  }

  private static RestClient http(ConfigurableApplicationContext instance) {
    return RestClient.create(
        "http://localhost:" + instance.getEnvironment().getProperty("local.server.port"));
  }

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};
}
