package dev.gtguard.spring.autoconfigure;

import dev.gtguard.FailoverPolicy;
import dev.gtguard.SameItemUpdates;
import dev.gtguard.spring.internal.PropertiesValidation;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The {@code gtguard.*} properties. Validated when bound: a local region that is not one of the
 * regions, a region configured twice, a retry delay out of order or a duration that does not parse
 * fails the startup with a message that names the property.
 *
 * <pre>{@code
 * gtguard:
 *   local-region: us-east-1
 *   regions:                  # an indexed list: binds from GTGUARD_REGIONS_0_NAME ...
 *     - name: us-east-1
 *     - name: eu-west-1
 *       endpoint: http://localhost:8001
 *   failover-policy: fail
 *   retry: { max-attempts: 64, base-delay: 10ms, max-delay: 1s }
 *   ledger: { table-name: gtguard-ledger }
 * }</pre>
 */
@ConfigurationProperties("gtguard")
public class GtguardProperties implements Validator {

  /** Whether gtguard's auto-configuration is on. */
  private boolean enabled = true;

  /**
   * The region this process runs in: reads go to its replica, and writes of items without a home
   * region. Default: the AwsRegionProvider bean if there is one, else the SDK's region provider
   * chain (aws.region, AWS_REGION, the profile, instance metadata).
   */
  private String localRegion;

  /**
   * Every region of the Global Tables this process writes to, the local one included. An indexed
   * list, so that it binds from environment variables (GTGUARD_REGIONS_0_NAME,
   * GTGUARD_REGIONS_0_ENDPOINT, ...); like any list it is replaced as a whole, never merged, by a
   * property source of higher priority. Default: the local region alone.
   */
  private List<RegionProperties> regions = new ArrayList<>();

  /** What a write does when its home region cannot be reached: fail, or write-locally. */
  private FailoverPolicy failoverPolicy = FailoverPolicy.FAIL;

  /**
   * How concurrent read-modify-retry updates of one item through an entity table run: queued (one
   * after another, never conflicting with each other), combined (the queued updates share the next
   * write: for hot items) or concurrent (each on its own). Default: queued.
   */
  private SameItemUpdates sameItemUpdates = SameItemUpdates.QUEUED;

  /**
   * Packages scanned for @Versioned @DynamoDbBean entity classes, each registered as a
   * VersionedEntityTable bean. Default: the application's auto-configuration packages (the package
   * of the @SpringBootApplication class and below).
   */
  private List<String> entityPackages = new ArrayList<>();

  /** Prepended to every table name resolved from an entity class. */
  private String tablePrefix;

  /** Appended to every table name resolved from an entity class. */
  private String tableSuffix;

  /** Put between the words of an entity class's simple name to make its table name. Default: _. */
  private String tableSeparator;

  private final Retry retry = new Retry();
  private final Ledger ledger = new Ledger();
  private final Detection detection = new Detection();
  private final Health health = new Health();
  private final Web web = new Web();

  @Override
  public boolean supports(Class<?> type) {
    return GtguardProperties.class.isAssignableFrom(type);
  }

  @Override
  public void validate(Object target, Errors errors) {
    PropertiesValidation.validate((GtguardProperties) target, errors);
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getLocalRegion() {
    return localRegion;
  }

  public void setLocalRegion(String localRegion) {
    this.localRegion = localRegion;
  }

  public List<RegionProperties> getRegions() {
    return regions;
  }

  public void setRegions(List<RegionProperties> regions) {
    this.regions = regions;
  }

  public FailoverPolicy getFailoverPolicy() {
    return failoverPolicy;
  }

  public void setFailoverPolicy(FailoverPolicy failoverPolicy) {
    this.failoverPolicy = failoverPolicy;
  }

  public SameItemUpdates getSameItemUpdates() {
    return sameItemUpdates;
  }

  public void setSameItemUpdates(SameItemUpdates sameItemUpdates) {
    this.sameItemUpdates = sameItemUpdates;
  }

  public List<String> getEntityPackages() {
    return entityPackages;
  }

  public void setEntityPackages(List<String> entityPackages) {
    this.entityPackages = entityPackages;
  }

  public String getTablePrefix() {
    return tablePrefix;
  }

  public void setTablePrefix(String tablePrefix) {
    this.tablePrefix = tablePrefix;
  }

  public String getTableSuffix() {
    return tableSuffix;
  }

  public void setTableSuffix(String tableSuffix) {
    this.tableSuffix = tableSuffix;
  }

  public String getTableSeparator() {
    return tableSeparator;
  }

  public void setTableSeparator(String tableSeparator) {
    this.tableSeparator = tableSeparator;
  }

  public Retry getRetry() {
    return retry;
  }

  public Ledger getLedger() {
    return ledger;
  }

  public Detection getDetection() {
    return detection;
  }

  public Health getHealth() {
    return health;
  }

  public Web getWeb() {
    return web;
  }

  /** One region of the Global Tables. */
  public static class RegionProperties {

    /** The region's name, e.g. eu-west-1. */
    private String name;

    /** The DynamoDB endpoint, when not the region's default: DynamoDB Local, a VPC endpoint. */
    private URI endpoint;

    /**
     * The DynamoDB Streams endpoint, when not the region's default. Default: the endpoint above
     * when one is set (DynamoDB Local serves both), else the region's.
     */
    private URI streamsEndpoint;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public URI getEndpoint() {
      return endpoint;
    }

    public void setEndpoint(URI endpoint) {
      this.endpoint = endpoint;
    }

    public URI getStreamsEndpoint() {
      return streamsEndpoint;
    }

    public void setStreamsEndpoint(URI streamsEndpoint) {
      this.streamsEndpoint = streamsEndpoint;
    }
  }

  /** How a read-modify-retry update backs off after a conflict (full jitter). */
  public static class Retry {

    /** Most conditional writes one update sends, the first included. */
    private int maxAttempts = 64;

    /**
     * Retries sent at once on the item returned with the refusal, before the first pause; later
     * retries pause and read the item again.
     */
    private int immediateRetries = 0;

    /** Upper bound of the first retry's pause; doubles with each retry. */
    private Duration baseDelay = Duration.ofMillis(10);

    /** Cap on the upper bound of any pause. */
    private Duration maxDelay = Duration.ofSeconds(1);

    public int getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public int getImmediateRetries() {
      return immediateRetries;
    }

    public void setImmediateRetries(int immediateRetries) {
      this.immediateRetries = immediateRetries;
    }

    public Duration getBaseDelay() {
      return baseDelay;
    }

    public void setBaseDelay(Duration baseDelay) {
      this.baseDelay = baseDelay;
    }

    public Duration getMaxDelay() {
      return maxDelay;
    }

    public void setMaxDelay(Duration maxDelay) {
      this.maxDelay = maxDelay;
    }
  }

  /** The write ledger: every versioned write also appends an entry, in the same transaction. */
  public static class Ledger {

    /**
     * The ledger table (string keys pk and sk, a Global Table in the same regions). Default: no
     * ledger.
     */
    private String tableName;

    /** How long entries are kept (DynamoDB TTL on expires_at). Default: for ever. */
    private Duration retention;

    public String getTableName() {
      return tableName;
    }

    public void setTableName(String tableName) {
      this.tableName = tableName;
    }

    public Duration getRetention() {
      return retention;
    }

    public void setRetention(Duration retention) {
      this.retention = retention;
    }
  }

  /** Lost-write detection. */
  public static class Detection {
    private final Stream stream = new Stream();

    public Stream getStream() {
      return stream;
    }
  }

  /** A stream poller per region and entity table, started and stopped with the context. */
  public static class Stream {

    /** Whether to read every region's DynamoDB Stream of every entity table for lost writes. */
    private boolean enabled;

    /** The pause between two passes over a stream. */
    private Duration pollInterval = Duration.ofSeconds(1);

    /**
     * The table (string key pk) where each poller keeps its position, so that a restart resumes.
     * Default: in memory, so that a restart reads the last 24 hours again.
     */
    private String checkpointTableName;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public Duration getPollInterval() {
      return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
    }

    public String getCheckpointTableName() {
      return checkpointTableName;
    }

    public void setCheckpointTableName(String checkpointTableName) {
      this.checkpointTableName = checkpointTableName;
    }
  }

  /** The gtguard health indicator (switched by management.health.gtguard.enabled). */
  public static class Health {

    /** The longest a region's probe may take; a region that takes longer is reported DOWN. */
    private Duration timeout = Duration.ofSeconds(2);

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }
  }

  /** Web integration. */
  public static class Web {
    private final ProblemDetails problemDetails = new ProblemDetails();

    public ProblemDetails getProblemDetails() {
      return problemDetails;
    }
  }

  /** RFC 9457 problem details for gtguard's exceptions in Spring MVC. */
  public static class ProblemDetails {

    /** Whether gtguard's exceptions become problem details (404, 409, 400, 503). */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }
}
