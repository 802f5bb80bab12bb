package dev.gtguard.samples.spring;

import dev.gtguard.testkit.Lag;
import dev.gtguard.testkit.LocalGlobalTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The service on your machine: a local Global Table (eu-west-1 and us-east-1, one DynamoDB Local
 * each, replication lag 1 s) and one instance of the service per region, on ports 8081 (eu-west-1)
 * and 8082 (us-east-1): {@code ./mvnw -pl samples-spring test-compile exec:java} after {@code
 * ./mvnw install -DskipTests}. The tests start their instances through it too.
 */
public final class LocalSubscribers implements AutoCloseable {
  public static final String EU = "eu-west-1";
  public static final String US = "us-east-1";

  private final LocalGlobalTable global;
  private final String tableSuffix;
  private final String ledger;
  private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

  /** Starts the local Global Table and creates the subscriber and ledger tables. */
  public LocalSubscribers(LocalGlobalTable global) {
    this.global = global;
    this.tableSuffix = global.createTable("subscriber", "id").substring("subscriber".length());
    this.ledger = global.createTable("subscriber_ledger", "pk", "sk");
  }

  public static void main(String[] args) {
    LocalGlobalTable global =
        LocalGlobalTable.builder().regions(EU, US).lag(Lag.of(Duration.ofSeconds(1))).start();
    LocalSubscribers local = new LocalSubscribers(global);
    local.start(EU, 8081);
    local.start(US, 8082);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  local.close();
                  global.close();
                }));
  }

  /**
   * Starts an instance of the service in {@code region}; port 0 for any free port. The initializers
   * may register beans that replace the application's, such as an {@link AddressCheck}.
   */
  public ConfigurableApplicationContext start(
      String region, int port, ApplicationContextInitializer<?>... more) {
    // As command-line arguments: they replace application.yml's regions list as a whole (a list
    // is never merged across property sources).
    String[] args = {
      "--server.port=" + port,
      "--gtguard.local-region=" + region,
      "--gtguard.regions[0].name=" + EU,
      "--gtguard.regions[0].endpoint=" + global.server(EU).endpoint(),
      "--gtguard.regions[1].name=" + US,
      "--gtguard.regions[1].endpoint=" + global.server(US).endpoint(),
      "--gtguard.table-suffix=" + tableSuffix,
      "--gtguard.ledger.table-name=" + ledger,
      "--logging.level.software.amazon.dynamodb=WARN" // DynamoDB Local logs every request at INFO
    };
    ConfigurableApplicationContext instance =
        new SpringApplicationBuilder(SubscribersApplication.class)
            .initializers(
                context ->
                    ((GenericApplicationContext) context)
                        .registerBean(
                            AwsCredentialsProvider.class,
                            () ->
                                StaticCredentialsProvider.create(
                                    AwsBasicCredentials.create("local", "local"))))
            .initializers(more)
            .run(args);
    instances.add(instance);
    return instance;
  }

  /** The ledger table's name. */
  public String ledger() {
    return ledger;
  }

  /** The subscriber table's name. */
  public String table() {
    return "subscriber" + tableSuffix;
  }

  @Override
  public void close() {
    instances.forEach(ConfigurableApplicationContext::close);
  }
}
