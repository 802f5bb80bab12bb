package dev.gtguard.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/** The tables the testkit creates: always with a stream of new and old images. */
public final class Tables {
  private Tables() {}

  /** A pay-per-request table with string keys ({@code sortKey} may be null) and a stream. */
  public static CreateTableRequest stringKeys(String name, String partitionKey, String sortKey) {
    CreateTableRequest.Builder request = CreateTableRequest.builder().tableName(name);
    if (sortKey == null) {
      request.keySchema(key(partitionKey, KeyType.HASH)).attributeDefinitions(string(partitionKey));
    } else {
      request
          .keySchema(key(partitionKey, KeyType.HASH), key(sortKey, KeyType.RANGE))
          .attributeDefinitions(string(partitionKey), string(sortKey));
    }
    return replicable(request.build());
  }

  /**
   * The request with a NEW_AND_OLD_IMAGES stream, whatever it asked for (replication reads new
   * images), and pay per request when it names neither a billing mode nor a table throughput.
   */
  public static CreateTableRequest replicable(CreateTableRequest request) {
    CreateTableRequest.Builder builder =
        request.toBuilder()
            .streamSpecification(
                s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES));
    if (request.billingMode() == null && request.provisionedThroughput() == null) {
      builder.billingMode(BillingMode.PAY_PER_REQUEST);
    }
    return builder.build();
  }

  /**
   * Creates the table through each client in turn; if one refuses, deletes it again where this call
   * created it, and rethrows.
   */
  public static void createEverywhere(List<DynamoDbClient> clients, CreateTableRequest request) {
    List<DynamoDbClient> created = new ArrayList<>();
    try {
      for (DynamoDbClient client : clients) {
        client.createTable(request);
        created.add(client);
      }
    } catch (RuntimeException e) {
      for (DynamoDbClient client : created) {
        try {
          client.deleteTable(r -> r.tableName(request.tableName()));
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  private static AttributeDefinition string(String name) {
    return AttributeDefinition.builder()
        .attributeName(name)
        .attributeType(ScalarAttributeType.S)
        .build();
  }
}
