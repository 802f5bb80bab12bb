package dev.gtguard.benchmarks;

import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

/**
 * {@link DetectionCostBenchmark}'s item as a user of the SDK's Enhanced Client maps it for the
 * {@code enhanced} mode: key, counter, payload and a {@link DynamoDbVersionAttribute}, which the
 * Enhanced Client's {@code VersionedRecordExtension} checks and increments on every write. Public
 * only because the bean mapper requires it.
 */
@DynamoDbBean
public final class DetectionRecord {
  private String pk;
  private long count;
  private String data;
  private Long version;

  /** The partition key. */
  @DynamoDbPartitionKey
  public String getPk() {
    return pk;
  }

  /** Sets the partition key. */
  public void setPk(String pk) {
    this.pk = pk;
  }

  /** The counter. */
  public long getCount() {
    return count;
  }

  /** Sets the counter. */
  public void setCount(long count) {
    this.count = count;
  }

  /** The payload, never changed. */
  public String getData() {
    return data;
  }

  /** Sets the payload. */
  public void setData(String data) {
    this.data = data;
  }

  /** The version the Enhanced Client checks; null before the first write. */
  @DynamoDbVersionAttribute
  public Long getVersion() {
    return version;
  }

  /** Sets the version (the Enhanced Client's job). */
  public void setVersion(Long version) {
    this.version = version;
  }
}
