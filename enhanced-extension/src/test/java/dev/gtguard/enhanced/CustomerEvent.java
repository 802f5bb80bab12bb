package dev.gtguard.enhanced;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/** An append-only entity: one item per event, under a ULID sort key. */
@DynamoDbBean
public class CustomerEvent {
  private String customerId;
  private String eventId;
  private String type;

  public CustomerEvent() {}

  public CustomerEvent(String customerId, String type) {
    this.customerId = customerId;
    this.type = type;
  }

  @DynamoDbPartitionKey
  @DynamoDbAttribute("pk")
  public String getCustomerId() {
    return customerId;
  }

  public void setCustomerId(String customerId) {
    this.customerId = customerId;
  }

  @DynamoDbSortKey
  @UlidSortKey
  @DynamoDbAttribute("sk")
  public String getEventId() {
    return eventId;
  }

  public void setEventId(String eventId) {
    this.eventId = eventId;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }
}
