package dev.gtguard.samples.spring;

import dev.gtguard.enhanced.HomeRegion;
import dev.gtguard.enhanced.Versioned;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

@DynamoDbBean
@HomeRegion(attribute = "homeRegion") // every write of a subscriber goes to its home region
public class Subscriber {
  private String id;
  private String deliveryAddress;
  private String lastContacted;
  private String homeRegion;
  private Long version;

  @DynamoDbPartitionKey
  public String getId() {
    return id;
  }

  @Versioned // 1 on create, +1 on every write
  public Long getVersion() {
    return version;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getDeliveryAddress() {
    return deliveryAddress;
  }

  public void setDeliveryAddress(String deliveryAddress) {
    this.deliveryAddress = deliveryAddress;
  }

  public String getLastContacted() {
    return lastContacted;
  }

  public void setLastContacted(String lastContacted) {
    this.lastContacted = lastContacted;
  }

  public String getHomeRegion() {
    return homeRegion;
  }

  public void setHomeRegion(String homeRegion) {
    this.homeRegion = homeRegion;
  }

  public void setVersion(Long version) {
    this.version = version;
  }
}
