package dev.gtguard.benchmarks;

import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

/**
 * The hot item as a user of the SDK's Enhanced Client maps it for {@link ContentionBenchmark}'s
 * {@code naive-enhanced} mode: a counter with a {@link DynamoDbVersionAttribute}, which the
 * Enhanced Client's {@code VersionedRecordExtension} checks and increments on every write. Public
 * only because the bean mapper requires it.
 */
@DynamoDbBean
public final class ContentionCounter {
  private String pk;
  private long count;
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
