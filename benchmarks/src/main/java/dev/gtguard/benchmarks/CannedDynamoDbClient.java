package dev.gtguard.benchmarks;

import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * A client that answers every UpdateItem at once with a canned item, so a benchmark measures what
 * the library costs on top of the SDK call and nothing of the network or the server.
 */
final class CannedDynamoDbClient implements DynamoDbClient {
  private final UpdateItemResponse response;

  CannedDynamoDbClient(Map<String, AttributeValue> stored) {
    this.response = UpdateItemResponse.builder().attributes(stored).build();
  }

  @Override
  public UpdateItemResponse updateItem(UpdateItemRequest request) {
    return response;
  }

  @Override
  public DynamoDbServiceClientConfiguration serviceClientConfiguration() {
    return DynamoDbServiceClientConfiguration.builder().region(Region.EU_WEST_1).build();
  }

  @Override
  public String serviceName() {
    return "dynamodb";
  }

  @Override
  public void close() {}
}
