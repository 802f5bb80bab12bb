package dev.gtguard.benchmarks;

import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

/**
 * The 6-attribute item of {@link UpdateOverheadBenchmark} as an Enhanced Client user writes it: a
 * bean whose {@code version} the SDK's {@code VersionedRecordExtension} checks and increments.
 */
@DynamoDbBean
public class Subscriber {
  private String pk;
  private long count;
  private String name;
  private String deliveryAddress;
  private String status;
  private Long version;

  /** The item as held: what {@link OverheadItems#held(int)} holds, without the library's tokens. */
  static Subscriber held() {
    Subscriber s = new Subscriber();
    s.setPk(OverheadItems.PK);
    s.setCount(OverheadItems.COUNT);
    s.setName("Ada Lovelace");
    s.setDeliveryAddress("221B Baker Street, London");
    s.setStatus("ACTIVE");
    s.setVersion(OverheadItems.VERSION);
    return s;
  }

  @DynamoDbPartitionKey
  public String getPk() {
    return pk;
  }

  public void setPk(String pk) {
    this.pk = pk;
  }

  public long getCount() {
    return count;
  }

  public void setCount(long count) {
    this.count = count;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  @DynamoDbAttribute("delivery_address")
  public String getDeliveryAddress() {
    return deliveryAddress;
  }

  public void setDeliveryAddress(String deliveryAddress) {
    this.deliveryAddress = deliveryAddress;
  }

  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  @DynamoDbVersionAttribute
  public Long getVersion() {
    return version;
  }

  public void setVersion(Long version) {
    this.version = version;
  }
}
