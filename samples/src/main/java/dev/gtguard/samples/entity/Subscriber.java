package dev.gtguard.samples.entity;

// README:entity
import dev.gtguard.enhanced.HomeRegion;
import dev.gtguard.enhanced.Versioned;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

@DynamoDbBean
@HomeRegion(attribute = "homeRegion") // optional: every write of an item goes to its home region
public class Subscriber {
  private String id;
  private String email;
  private String homeRegion;
  private Long version;

  @DynamoDbPartitionKey
  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getEmail() {
    return email;
  }

  public void setEmail(String email) {
    this.email = email;
  }

  public String getHomeRegion() {
    return homeRegion;
  }

  public void setHomeRegion(String homeRegion) {
    this.homeRegion = homeRegion;
  }

  @Versioned // set by the library: 1 on create, +1 on every write
  public Long getVersion() {
    return version;
  }

  public void setVersion(Long version) {
    this.version = version;
  }
}
// README:end
