package dev.gtguard.enhanced;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/** A versioned entity with a composite key and a primitive version. */
@DynamoDbBean
public class Subscription {
  private String customerId;
  private String product;
  private String status;
  private long version;
  private String writeToken;

  @DynamoDbPartitionKey
  @DynamoDbAttribute("pk")
  public String getCustomerId() {
    return customerId;
  }

  public void setCustomerId(String customerId) {
    this.customerId = customerId;
  }

  @DynamoDbSortKey
  @DynamoDbAttribute("sk")
  public String getProduct() {
    return product;
  }

  public void setProduct(String product) {
    this.product = product;
  }

  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  @Versioned
  public long getVersion() {
    return version;
  }

  public void setVersion(long version) {
    this.version = version;
  }

  @WriteToken
  public String getWriteToken() {
    return writeToken;
  }

  public void setWriteToken(String writeToken) {
    this.writeToken = writeToken;
  }
}
