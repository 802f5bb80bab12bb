package dev.gtguard.samples;

import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedTable;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** How the multi-region scenarios write one attribute of one item in one region. */
interface WriteMode {

  /** The mode's name in {@code RESULT ... mode=<name>} lines. */
  String name();

  /**
   * Sets {@code attribute} of the item keyed {@code pk} to {@code value}, in {@code region}.
   *
   * @return how DynamoDB acknowledged it, for the narration
   */
  String set(String region, String pk, String attribute, String value);

  /** The application as deployed: a plain UpdateItem, no condition, no version. */
  static WriteMode asDeployed(Function<String, DynamoDbClient> clients, String table) {
    return new WriteMode() {
      @Override
      public String name() {
        return "as-deployed";
      }

      @Override
      public String set(String region, String pk, String attribute, String value) {
        clients
            .apply(region)
            .updateItem(
                r ->
                    r.tableName(table)
                        .key(Map.of("pk", AttributeValue.fromS(pk)))
                        .updateExpression("SET #a = :v")
                        .expressionAttributeNames(Map.of("#a", attribute))
                        .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(value))));
        return "200 OK";
      }
    };
  }

  /** Through gtguard's {@link VersionedTable} in the writing region: version + token checked. */
  static WriteMode versioned(Function<String, VersionedTable> tables) {
    return through("versioned", tables);
  }

  /**
   * Through gtguard's {@link VersionedTable} as a process in the writing region sees it, with every
   * region's client and {@code HomeRegionStrategy.attribute("home_region")}: the write goes to the
   * subscriber's home region.
   */
  static WriteMode homeRouted(Function<String, VersionedTable> routedTables) {
    return through("home-routed", routedTables);
  }

  private static WriteMode through(String name, Function<String, VersionedTable> tables) {
    return new WriteMode() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String set(String region, String pk, String attribute, String value) {
        UpdateResult result =
            tables
                .apply(region)
                .update(
                    ItemKey.of("pk", pk), item -> Changes.builder().set(attribute, value).build());
        return "acknowledged at version " + result.item().version();
      }
    };
  }
}
