package dev.gtguard.enhanced;

import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableTag;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

/** The London subscriber as an entity, annotated; {@link #staticSchema()} is the same, tagged. */
@DynamoDbBean
public class Customer {
  private String id;
  private String deliveryAddress;
  private String lastContacted;
  private String homeRegion;
  private Long count;
  private Long version;
  private String writeToken;

  public Customer() {}

  public Customer(String id, String deliveryAddress) {
    this.id = id;
    this.deliveryAddress = deliveryAddress;
  }

  /**
   * The tagged equivalent of the annotations, for {@code StaticTableSchema}, with the given table
   * tags (a home region).
   */
  public static StaticTableSchema<Customer> staticSchema(StaticTableTag... tableTags) {
    return StaticTableSchema.builder(Customer.class)
        .newItemSupplier(Customer::new)
        .addAttribute(
            String.class,
            a ->
                a.name("id")
                    .getter(Customer::getId)
                    .setter(Customer::setId)
                    .tags(StaticAttributeTags.primaryPartitionKey()))
        .addAttribute(
            String.class,
            a ->
                a.name("delivery_address")
                    .getter(Customer::getDeliveryAddress)
                    .setter(Customer::setDeliveryAddress))
        .addAttribute(
            String.class,
            a ->
                a.name("last_contacted")
                    .getter(Customer::getLastContacted)
                    .setter(Customer::setLastContacted))
        .addAttribute(
            String.class,
            a ->
                a.name("home_region")
                    .getter(Customer::getHomeRegion)
                    .setter(Customer::setHomeRegion))
        .addAttribute(
            Long.class, a -> a.name("count").getter(Customer::getCount).setter(Customer::setCount))
        .addAttribute(
            Long.class,
            a ->
                a.name("version")
                    .getter(Customer::getVersion)
                    .setter(Customer::setVersion)
                    .tags(GlobalTableTags.versioned()))
        .addAttribute(
            String.class,
            a ->
                a.name("write_token")
                    .getter(Customer::getWriteToken)
                    .setter(Customer::setWriteToken)
                    .tags(GlobalTableTags.writeToken()))
        .tags(tableTags)
        .build();
  }

  @DynamoDbPartitionKey
  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  @DynamoDbAttribute("delivery_address")
  public String getDeliveryAddress() {
    return deliveryAddress;
  }

  public void setDeliveryAddress(String deliveryAddress) {
    this.deliveryAddress = deliveryAddress;
  }

  @DynamoDbAttribute("last_contacted")
  public String getLastContacted() {
    return lastContacted;
  }

  public void setLastContacted(String lastContacted) {
    this.lastContacted = lastContacted;
  }

  @DynamoDbAttribute("home_region")
  public String getHomeRegion() {
    return homeRegion;
  }

  public void setHomeRegion(String homeRegion) {
    this.homeRegion = homeRegion;
  }

  public Long getCount() {
    return count;
  }

  public void setCount(Long count) {
    this.count = count;
  }

  @Versioned
  public Long getVersion() {
    return version;
  }

  public void setVersion(Long version) {
    this.version = version;
  }

  @WriteToken
  @DynamoDbAttribute("write_token")
  public String getWriteToken() {
    return writeToken;
  }

  public void setWriteToken(String writeToken) {
    this.writeToken = writeToken;
  }
}
