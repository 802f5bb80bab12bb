package dev.gtguard.enhanced;

import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

/** Entity classes that break one annotation rule each. */
public final class BadEntities {
  private BadEntities() {}

  /** Partition key and write token, for the classes below to extend. */
  public abstract static class Base {
    private String id;
    private String writeToken;

    @DynamoDbPartitionKey
    public String getId() {
      return id;
    }

    public void setId(String id) {
      this.id = id;
    }

    @WriteToken
    public String getWriteToken() {
      return writeToken;
    }

    public void setWriteToken(String writeToken) {
      this.writeToken = writeToken;
    }
  }

  @DynamoDbBean
  public static class VersionIsAString extends Base {
    private String version;

    @Versioned
    public String getVersion() {
      return version;
    }

    public void setVersion(String version) {
      this.version = version;
    }
  }

  @DynamoDbBean
  public static class VersionIsADouble extends Base {
    private Double version;

    @Versioned
    public Double getVersion() {
      return version;
    }

    public void setVersion(Double version) {
      this.version = version;
    }
  }

  @DynamoDbBean
  public static class TwoVersions extends Base {
    private Long version;
    private Long revision;

    @Versioned
    public Long getVersion() {
      return version;
    }

    public void setVersion(Long version) {
      this.version = version;
    }

    @Versioned
    public Long getRevision() {
      return revision;
    }

    public void setRevision(Long revision) {
      this.revision = revision;
    }
  }

  @DynamoDbBean
  public static class NoWriteToken {
    private String id;
    private Long version;

    @DynamoDbPartitionKey
    public String getId() {
      return id;
    }

    public void setId(String id) {
      this.id = id;
    }

    @Versioned
    public Long getVersion() {
      return version;
    }

    public void setVersion(Long version) {
      this.version = version;
    }
  }

  /** Valid except where a subclass adds a mistake. */
  @DynamoDbBean
  public static class Valid extends Base {
    private Long version;

    @Versioned
    public Long getVersion() {
      return version;
    }

    public void setVersion(Long version) {
      this.version = version;
    }
  }

  @DynamoDbBean
  @HomeRegion(attribute = "home_region")
  public static class HomeAttributeMissing extends Valid {}

  @DynamoDbBean
  @HomeRegion(attribute = "home_region", resolver = Ireland.class)
  public static class HomeAttributeAndResolver extends Valid {}

  @DynamoDbBean
  @HomeRegion(resolver = NoDefaultConstructor.class)
  public static class HomeResolverCannotBeCreated extends Valid {}

  @DynamoDbBean
  @HomeRegion(resolver = Ireland.class)
  public static class ResolvedToIreland extends Valid {}

  @DynamoDbBean
  @HomeRegion(resolver = Mars.class)
  public static class ResolvedToMars extends Valid {}

  @DynamoDbBean
  public static class AlsoSdkVersioned extends Base {
    private Long version;

    @Versioned
    @DynamoDbVersionAttribute
    public Long getVersion() {
      return version;
    }

    public void setVersion(Long version) {
      this.version = version;
    }
  }

  @DynamoDbBean
  public static class SdkVersionedElsewhere extends Valid {
    private Long revision;

    @DynamoDbVersionAttribute
    public Long getRevision() {
      return revision;
    }

    public void setRevision(Long revision) {
      this.revision = revision;
    }
  }

  @DynamoDbBean
  public static class OnlySdkVersioned extends Base {
    private Long version;

    @DynamoDbVersionAttribute
    public Long getVersion() {
      return version;
    }

    public void setVersion(Long version) {
      this.version = version;
    }
  }

  @DynamoDbBean
  public static class UlidOnAPlainAttribute {
    private String customerId;
    private String eventId;

    @DynamoDbPartitionKey
    public String getCustomerId() {
      return customerId;
    }

    public void setCustomerId(String customerId) {
      this.customerId = customerId;
    }

    @UlidSortKey
    public String getEventId() {
      return eventId;
    }

    public void setEventId(String eventId) {
      this.eventId = eventId;
    }
  }

  public static class Ireland implements HomeRegionResolver {
    @Override
    public String homeRegion(Key key) {
      return "eu-west-1";
    }
  }

  public static class Mars implements HomeRegionResolver {
    @Override
    public String homeRegion(Key key) {
      return "mars-north-1";
    }
  }

  public static class NoDefaultConstructor implements HomeRegionResolver {
    private final String region;

    public NoDefaultConstructor(String region) {
      this.region = region;
    }

    @Override
    public String homeRegion(Key key) {
      return region;
    }
  }
}
