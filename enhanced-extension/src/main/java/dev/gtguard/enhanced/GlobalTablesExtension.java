package dev.gtguard.enhanced;

import dev.gtguard.AsyncVersionedTable;
import dev.gtguard.AsyncVersionedTableBuilder;
import dev.gtguard.ItemKey;
import dev.gtguard.RegionClients;
import dev.gtguard.VersionedTable;
import dev.gtguard.VersionedTableBuilder;
import dev.gtguard.enhanced.internal.EntityModel;
import dev.gtguard.enhanced.internal.ExtensionProbe;
import dev.gtguard.ledger.WriteLedger;
import dev.gtguard.spi.WriteListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbAsyncTable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedAsyncClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClientExtension;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbExtensionContext;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.MappedTableResource;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.enhanced.dynamodb.extensions.AtomicCounterExtension;
import software.amazon.awssdk.enhanced.dynamodb.extensions.VersionedRecordExtension;
import software.amazon.awssdk.enhanced.dynamodb.extensions.WriteModification;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The Enhanced Client side of this library: install it on your {@code DynamoDbEnhancedClient}, then
 * wrap each table of {@link Versioned} entities with {@link #table} and each table of append-only
 * ({@link UlidSortKey}) entities with {@link #appendOnlyTable}. Those wrappers delegate every write
 * to the core {@link VersionedTable} and {@link dev.gtguard.AppendOnlyTable}: conditional writes,
 * read-modify-retry, home-region routing, the write ledger and lost-write detection behave exactly
 * as there.
 *
 * <pre>{@code
 * GlobalTablesExtension globalTables = GlobalTablesExtension.builder().client(dynamoDb).build();
 * DynamoDbEnhancedClient enhanced = globalTables.enhancedClient(); // + the SDK's defaults
 * VersionedEntityTable<Customer> customers =
 *     globalTables.table(enhanced.table("customers", TableSchema.fromBean(Customer.class)));
 * }</pre>
 *
 * <p>On the asynchronous Enhanced Client, the same with asynchronous clients: {@link
 * #enhancedAsyncClient()} and {@link #table(DynamoDbAsyncTable)} make a {@link
 * VersionedEntityAsyncTable} (the same decisions, futures, over {@link AsyncVersionedTable}).
 *
 * <pre>{@code
 * GlobalTablesExtension globalTables = GlobalTablesExtension.builder().client(dynamoDbAsync).build();
 * VersionedEntityAsyncTable<Customer> customers = globalTables.table(
 *     globalTables.enhancedAsyncClient().table("customers", TableSchema.fromBean(Customer.class)));
 * }</pre>
 *
 * <p>As an extension it guards the plain API: a {@code putItem} or {@code updateItem} of a
 * versioned or append-only entity through the {@code DynamoDbTable} itself (also inside a
 * transaction or batch) is refused with {@link UnprotectedWriteException} before it is sent, since
 * it would skip the version check, the write token and routing. Reads, queries and scans are
 * untouched. The Enhanced Client calls no extension for {@code deleteItem}: the {@link
 * VersionedEntityTable} (itself a {@code DynamoDbTable}; {@link VersionedEntityAsyncTable}, a
 * {@code DynamoDbAsyncTable}) checks the version of its deletes.
 *
 * <p>{@link #table} refuses, with {@link InvalidEntityException}, a table whose client (blocking or
 * asynchronous) does not run this extension and the SDK's default ones ({@code
 * DynamoDbEnhancedClient.Builder.extensions(...)} replaces the whole list: {@code
 * extensions(globalTables)} alone silently drops {@code VersionedRecordExtension}, and other
 * entities on that client lose their optimistic locking), and an entity that is also versioned by
 * the SDK's {@code VersionedRecordExtension}.
 */
public final class GlobalTablesExtension implements DynamoDbEnhancedClientExtension {
  private static final String PROBE_ATTRIBUTE = "gtguard:probe";
  private static final String PROBE_VALUE_NAME = ":gtguard_probe";
  private static final AttributeValue PROBE_VALUE = AttributeValue.fromS("GlobalTablesExtension");

  private final RegionClients regions;
  private final WriteLedger ledger;
  private final List<WriteListener> listeners;

  private GlobalTablesExtension(Builder b) {
    this.regions = b.regions;
    this.ledger = b.ledger;
    this.listeners = List.copyOf(b.listeners);
  }

  /** A builder; {@code client} or {@code clients} required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * An Enhanced Client on the local region's client that runs the SDK's default extensions ({@code
   * VersionedRecordExtension}, {@code AtomicCounterExtension}) and this one: the one way to build
   * it, so that other entities on the same client keep their optimistic locking and counters.
   *
   * <pre>{@code
   * GlobalTablesExtension globalTables = GlobalTablesExtension.builder().clients(regions).build();
   * DynamoDbEnhancedClient enhanced = globalTables.enhancedClient();
   * }</pre>
   */
  public DynamoDbEnhancedClient enhancedClient() {
    if (regions.local() == null) {
      throw new IllegalStateException(
          "the local region has no DynamoDbClient (only an asynchronous one): use"
              + " enhancedAsyncClient(), or give RegionClients a blocking client too");
    }
    return DynamoDbEnhancedClient.builder()
        .dynamoDbClient(regions.local())
        .extensions(withSdkDefaults())
        .build();
  }

  /**
   * {@link #enhancedClient()} on the local region's {@code DynamoDbAsyncClient}: the SDK's default
   * extensions and this one, for {@link #table(DynamoDbAsyncTable)}.
   *
   * <pre>{@code
   * GlobalTablesExtension globalTables = GlobalTablesExtension.builder().client(dynamoDbAsync).build();
   * DynamoDbEnhancedAsyncClient enhanced = globalTables.enhancedAsyncClient();
   * }</pre>
   *
   * @throws IllegalStateException if the local region has no asynchronous client
   */
  public DynamoDbEnhancedAsyncClient enhancedAsyncClient() {
    if (regions.asyncLocal() == null) {
      throw new IllegalStateException(
          "the local region has no DynamoDbAsyncClient: build the extension with"
              + " client(DynamoDbAsyncClient), or RegionClients holding asynchronous clients");
    }
    return DynamoDbEnhancedAsyncClient.builder()
        .dynamoDbClient(regions.asyncLocal())
        .extensions(withSdkDefaults())
        .build();
  }

  /**
   * The SDK's default extensions followed by this one, for a {@code DynamoDbEnhancedClient.Builder}
   * (or {@code DynamoDbEnhancedAsyncClient.Builder}) of your own: {@code
   * .extensions(globalTables.withSdkDefaults())}. Calling {@code extensions(globalTables)} alone
   * would drop the defaults, which {@link #table} refuses.
   */
  public List<DynamoDbEnhancedClientExtension> withSdkDefaults() {
    return List.of(
        VersionedRecordExtension.builder().build(), AtomicCounterExtension.builder().build(), this);
  }

  /**
   * A table of {@link Versioned} entities, with the extension's clients, ledger and listeners.
   *
   * @param table a table from a {@code DynamoDbEnhancedClient} that runs this extension and the
   *     SDK's defaults ({@link #enhancedClient()})
   * @throws InvalidEntityException if the entity's annotations break a rule, or the client does not
   *     run a {@code GlobalTablesExtension} and the SDK's default extensions
   */
  public <T> VersionedEntityTable<T> table(DynamoDbTable<T> table) {
    return table(table, options -> {});
  }

  /**
   * A table of {@link Versioned} entities, with per-table options of the core table (retry policy,
   * failover policy, more listeners).
   *
   * <pre>{@code
   * VersionedEntityTable<Customer> customers = globalTables.table(
   *     enhanced.table("customers", TableSchema.fromBean(Customer.class)),
   *     options -> options.failoverPolicy(FailoverPolicy.WRITE_LOCALLY));
   * }</pre>
   *
   * <p>The table name, keys, version, token, parent-token attributes and home region come from the
   * entity; setting them in {@code options} has no effect. Items without a version are adopted.
   *
   * @throws InvalidEntityException if the entity's annotations break a rule, or the client does not
   *     run a {@code GlobalTablesExtension}
   */
  public <T> VersionedEntityTable<T> table(
      DynamoDbTable<T> table, Consumer<VersionedTableBuilder> options) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(options, "options");
    EntityModel model = versionedModel(table);
    VersionedTableBuilder core = VersionedTable.builder().clients(regions);
    if (ledger != null) {
      core.ledger(ledger);
    }
    listeners.forEach(core::listener);
    options.accept(core);
    core.table(model.describe(table.tableName()));
    EntityWrites.homeRegion(model).ifPresent(core::homeRegion);
    return new VersionedEntityTable<>(table, model, core.build());
  }

  /**
   * A table of {@link Versioned} entities on the asynchronous Enhanced Client, with the extension's
   * clients (an asynchronous one in every region), ledger and listeners: {@link
   * #table(DynamoDbTable)} returning futures.
   *
   * <pre>{@code
   * VersionedEntityAsyncTable<Customer> customers = globalTables.table(
   *     globalTables.enhancedAsyncClient().table("customers", TableSchema.fromBean(Customer.class)));
   * }</pre>
   *
   * @param table a table from a {@code DynamoDbEnhancedAsyncClient} that runs this extension and
   *     the SDK's defaults ({@link #enhancedAsyncClient()})
   * @throws InvalidEntityException if the entity's annotations break a rule, or the client does not
   *     run a {@code GlobalTablesExtension} and the SDK's default extensions
   * @throws IllegalStateException if a region has no {@code DynamoDbAsyncClient}
   */
  public <T> VersionedEntityAsyncTable<T> table(DynamoDbAsyncTable<T> table) {
    return table(table, options -> {});
  }

  /**
   * A table of {@link Versioned} entities on the asynchronous Enhanced Client, with per-table
   * options of the core table: those of {@link #table(DynamoDbTable, Consumer)}, and the threads.
   *
   * <pre>{@code
   * VersionedEntityAsyncTable<Customer> customers = globalTables.table(
   *     enhanced.table("customers", TableSchema.fromBean(Customer.class)),
   *     options -> options.executor(applicationExecutor));
   * }</pre>
   *
   * @throws InvalidEntityException if the entity's annotations break a rule, or the client does not
   *     run a {@code GlobalTablesExtension}
   * @throws IllegalStateException if a region has no {@code DynamoDbAsyncClient}
   */
  public <T> VersionedEntityAsyncTable<T> table(
      DynamoDbAsyncTable<T> table, Consumer<AsyncVersionedTableBuilder> options) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(options, "options");
    EntityModel model = versionedModel(table);
    AsyncVersionedTableBuilder core = AsyncVersionedTable.builder().clients(regions);
    if (ledger != null) {
      core.ledger(ledger);
    }
    listeners.forEach(core::listener);
    options.accept(core);
    core.table(model.describe(table.tableName()));
    EntityWrites.homeRegion(model).ifPresent(core::homeRegion);
    return new VersionedEntityAsyncTable<>(table, model, core.build());
  }

  /**
   * The model of a table's {@link Versioned} entity, once the table's client is known to run this
   * extension and the SDK's defaults: the same checks for both kinds of Enhanced Client.
   */
  private static EntityModel versionedModel(MappedTableResource<?> table) {
    EntityModel model = EntityModel.versioned(table.tableSchema());
    ExtensionProbe.check(table, model.entityName(), PROBE_ATTRIBUTE, PROBE_VALUE_NAME, PROBE_VALUE);
    return model;
  }

  /**
   * A table of append-only entities: their sort key is a {@link UlidSortKey}.
   *
   * @throws InvalidEntityException if the entity's annotations break a rule, or the client does not
   *     run a {@code GlobalTablesExtension}
   * @throws IllegalStateException if the local region has no blocking {@code DynamoDbClient}
   *     (append-only entities are not yet offered on the asynchronous Enhanced Client; use {@link
   *     dev.gtguard.AsyncAppendOnlyTable} directly)
   */
  public <T> AppendOnlyEntityTable<T> appendOnlyTable(DynamoDbTable<T> table) {
    Objects.requireNonNull(table, "table");
    if (regions.local() == null) {
      throw new IllegalStateException(
          "append-only entity tables need a blocking DynamoDbClient in the local region "
              + regions.localRegion()
              + "; on asynchronous clients use dev.gtguard.AsyncAppendOnlyTable");
    }
    EntityModel model = EntityModel.appendOnly(table.tableSchema());
    ExtensionProbe.check(table, model.entityName(), PROBE_ATTRIBUTE, PROBE_VALUE_NAME, PROBE_VALUE);
    return new AppendOnlyEntityTable<>(table, model, regions.local(), listeners);
  }

  /**
   * Refuses plain writes of versioned and append-only entities; lets every other write through
   * unchanged.
   */
  @Override
  public WriteModification beforeWrite(DynamoDbExtensionContext.BeforeWrite context) {
    if (context.items().containsKey(PROBE_ATTRIBUTE)) {
      return WriteModification.builder()
          .additionalConditionalExpression(
              Expression.builder()
                  .expression("attribute_not_exists(#gtguard_probe)")
                  .expressionNames(Map.of("#gtguard_probe", PROBE_ATTRIBUTE))
                  .expressionValues(Map.of(PROBE_VALUE_NAME, PROBE_VALUE))
                  .build())
          .build();
    }
    String annotation = EntityModel.protectedBy(context.tableMetadata());
    if (annotation == null) {
      return WriteModification.builder().build();
    }
    String table = context.operationContext().tableName();
    boolean versioned = annotation.equals("@Versioned");
    throw new UnprotectedWriteException(
        "refused a plain "
            + (context.operationName() == null ? "write" : context.operationName().label())
            + " of a "
            + annotation
            + " entity in table '"
            + table
            + "': it would skip "
            + (versioned
                ? "the version check, the write token and home-region routing. Write it through"
                    + " VersionedEntityTable (GlobalTablesExtension.table(...))"
                : "the new ULID sort key and the check that no item is overwritten. Write it"
                    + " through AppendOnlyEntityTable (GlobalTablesExtension.appendOnlyTable(...))"),
        table,
        keyOf(context.items(), context.tableMetadata()));
  }

  private static ItemKey keyOf(Map<String, AttributeValue> item, TableMetadata metadata) {
    Map<String, AttributeValue> key = new LinkedHashMap<>();
    for (String name : metadata.primaryKeys()) {
      AttributeValue value = item.get(name);
      if (value == null) {
        return null;
      }
      key.put(name, value);
    }
    return ItemKey.fromMap(key);
  }

  /** Builds a {@link GlobalTablesExtension}; each setter validates its argument at once. */
  public static final class Builder {
    private RegionClients regions;
    private WriteLedger ledger;
    private final List<WriteListener> listeners = new ArrayList<>();

    private Builder() {}

    /** One region: every write goes to this client's region. */
    public Builder client(DynamoDbClient client) {
      this.regions = RegionClients.single(Objects.requireNonNull(client, "client"));
      return this;
    }

    /**
     * One region, asynchronous: for {@link GlobalTablesExtension#enhancedAsyncClient()} and its
     * tables.
     */
    public Builder client(DynamoDbAsyncClient client) {
      this.regions = RegionClients.single(Objects.requireNonNull(client, "client"));
      return this;
    }

    /**
     * The local region and the remote ones, for {@link HomeRegion} routing: blocking clients for
     * {@link GlobalTablesExtension#table(DynamoDbTable)}, asynchronous ones for {@link
     * GlobalTablesExtension#table(DynamoDbAsyncTable)}.
     */
    public Builder clients(RegionClients regions) {
      this.regions = Objects.requireNonNull(regions, "regions");
      return this;
    }

    /**
     * Appends every versioned write to this ledger, for the {@link dev.gtguard.ledger.Reconciler}.
     */
    public Builder ledger(WriteLedger ledger) {
      this.ledger = Objects.requireNonNull(ledger, "ledger");
      return this;
    }

    /** Adds a listener to every table this extension makes. */
    public Builder listener(WriteListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * @throws IllegalStateException if neither {@code client} nor {@code clients} was set
     */
    public GlobalTablesExtension build() {
      if (regions == null) {
        throw new IllegalStateException("client or clients is required");
      }
      return new GlobalTablesExtension(this);
    }
  }
}
