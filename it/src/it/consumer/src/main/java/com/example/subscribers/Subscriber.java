package com.example.subscribers;

import dev.gtguard.enhanced.HomeRegion;
import dev.gtguard.enhanced.Versioned;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;

/** A subscriber, as an existing service maps it, plus {@code @Versioned} and {@code @HomeRegion}. */
@DynamoDbBean
@HomeRegion(attribute = "homeRegion")
public class Subscriber {
  private String id;
  private String email;
  private String address;
  private String lastContacted;
  private String homeRegion;
  private Long version;

  @DynamoDbPartitionKey
  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  @DynamoDbSecondaryPartitionKey(indexNames = "byEmail")
  public String getEmail() {
    return email;
  }

  public void setEmail(String email) {
    this.email = email;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
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

  @Versioned
  public Long getVersion() {
    return version;
  }

  public void setVersion(Long version) {
    this.version = version;
  }
}
