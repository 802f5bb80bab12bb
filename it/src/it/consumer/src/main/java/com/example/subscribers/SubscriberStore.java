package com.example.subscribers;

import dev.gtguard.RegionClients;
import dev.gtguard.enhanced.GlobalTablesExtension;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

/**
 * Existing-style Enhanced Client code: {@code putItem}, {@code getItem}, {@code deleteItem}, an
 * index query. Adopting gtguard changed the two lines that build the client and the table.
 */
public final class SubscriberStore {
  private final DynamoDbEnhancedClient enhanced;
  private final DynamoDbTable<Subscriber> subscribers;

  public SubscriberStore(RegionClients regions, String subscribersTable) {
    GlobalTablesExtension globalTables = GlobalTablesExtension.builder().clients(regions).build();
    this.enhanced = globalTables.enhancedClient();
    this.subscribers =
        globalTables.table(enhanced.table(subscribersTable, TableSchema.fromBean(Subscriber.class)));
  }

  /** The same enhanced client, for the other team's entities. */
  public DynamoDbEnhancedClient enhancedClient() {
    return enhanced;
  }

  public void save(Subscriber subscriber) {
    subscribers.putItem(subscriber);
  }

  public Subscriber find(String id) {
    return subscribers.getItem(Key.builder().partitionValue(id).build());
  }

  public void remove(Subscriber subscriber) {
    subscribers.deleteItem(subscriber);
  }

  public List<String> idsByEmail(String email) {
    return subscribers
        .index("byEmail")
        .query(QueryConditional.keyEqualTo(Key.builder().partitionValue(email).build()))
        .stream()
        .flatMap(page -> page.items().stream())
        .map(Subscriber::getId)
        .collect(Collectors.toList());
  }
}
