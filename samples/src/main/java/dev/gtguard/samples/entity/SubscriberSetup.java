package dev.gtguard.samples.entity;

import dev.gtguard.RegionClients;
import dev.gtguard.enhanced.GlobalTablesExtension;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The README's entity example, compiled: {@code ReadmeSnippetsTest} checks that the README holds
 * the text between the {@code README:} markers verbatim, and runs {@link #example} on the local
 * Global Table.
 */
public final class SubscriberSetup {
  private SubscriberSetup() {}

  /** The clients of a service that runs in us-east-1 and writes to eu-west-1 too. */
  public static RegionClients regions() {
    // README:regions
    RegionClients regions =
        RegionClients.builder()
            .local(DynamoDbClient.builder().region(Region.US_EAST_1).build()) // where this runs
            .remote(DynamoDbClient.builder().region(Region.EU_WEST_1).build())
            .build();
    // README:end
    return regions;
  }

  /** Creates a subscriber, then changes its email as existing Enhanced Client code would. */
  public static Subscriber example(RegionClients regions, String tableName) {
    // README:usage
    GlobalTablesExtension globalTables = GlobalTablesExtension.builder().clients(regions).build();
    DynamoDbEnhancedClient enhanced = globalTables.enhancedClient(); // + the SDK's defaults
    DynamoDbTable<Subscriber> subscribers =
        globalTables.table(enhanced.table(tableName, TableSchema.fromBean(Subscriber.class)));

    Subscriber subscriber = new Subscriber();
    subscriber.setId("sub-42");
    subscriber.setEmail("ada@example.com");
    subscriber.setHomeRegion("us-east-1");
    subscribers.putItem(subscriber); // no version yet: created at version 1, in its home

    Key key = Key.builder().partitionValue("sub-42").build();
    Subscriber read = subscribers.getItem(key);
    read.setEmail("ada@example.org");
    subscribers.putItem(read); // only while still at version 1, else VersionConflictException
    // README:end
    return subscribers.getItem(r -> r.key(key).consistentRead(true));
  }
}
