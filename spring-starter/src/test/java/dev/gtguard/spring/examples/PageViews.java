package dev.gtguard.spring.examples;

import dev.gtguard.enhanced.Versioned;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

/** The hot counter of the {@code GtguardTableCustomizer} example. */
@DynamoDbBean
public class PageViews {
  private String page;
  private Long views;
  private Long version;

  @DynamoDbPartitionKey
  public String getPage() {
    return page;
  }

  public void setPage(String page) {
    this.page = page;
  }

  public Long getViews() {
    return views;
  }

  public void setViews(Long views) {
    this.views = views;
  }

  @Versioned
  public Long getVersion() {
    return version;
  }

  public void setVersion(Long version) {
    this.version = version;
  }
}
