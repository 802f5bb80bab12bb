package dev.gtguard.testkit;

import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Run in a child JVM by {@link QuietByDefaultTest}, with no logging configuration of its own:
 * starts a local Global Table, replicates one write, stops it.
 */
public final class QuietMain {
  static final String DONE = "quiet-main-done";

  private QuietMain() {}

  public static void main(String[] args) {
    try (LocalGlobalTable global =
        LocalGlobalTable.builder().regions("eu-west-1", "us-east-1").start()) {
      String table = global.createTable("quiet", "pk");
      global
          .client("eu-west-1")
          .putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("a"))));
      global.awaitQuiescence(Duration.ofSeconds(30));
    }
    System.out.println(DONE);
    System.exit(0);
  }
}
