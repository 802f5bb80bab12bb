package dev.gtguard.spring;

import dev.gtguard.VersionedTableBuilder;
import dev.gtguard.enhanced.GlobalTablesExtension;
import dev.gtguard.enhanced.InvalidEntityException;
import dev.gtguard.enhanced.VersionedEntityTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * Makes, and keeps, one {@link VersionedEntityTable} per table and entity class: the tables behind
 * {@link GtguardTemplate}, the injectable {@code VersionedEntityTable<T>} beans and the tables the
 * starter's {@code DynamoDbEnhancedClient} hands out for {@code @Versioned} entities. Each is made
 * once, with {@code gtguard.failover-policy}, {@code gtguard.retry.*} and every {@link
 * GtguardTableCustomizer}, and shared. Thread-safe.
 *
 * <pre>{@code
 * VersionedEntityTable<Subscriber> subscribers = tables.table(Subscriber.class);
 * subscribers.update(key, s -> { s.setEmail("ada@example.org"); return s; });
 * }</pre>
 *
 * <p>Schemas come from the application's {@code TableSchema<T>} beans when it has one for the
 * class, else from {@link TableSchema#fromClass} ({@code @DynamoDbBean} or
 * {@code @DynamoDbImmutable}). A table is identified by its name and entity class: the schema it
 * was made with first is kept.
 */
public final class GtguardTables {
  private final GlobalTablesExtension extension;
  private final DynamoDbEnhancedClient enhanced;
  private final GtguardTableNameResolver names;
  private final Map<Class<?>, TableSchema<?>> schemas;
  private final Consumer<VersionedTableBuilder> defaults;
  private final List<GtguardTableCustomizer> customizers;
  private final Map<TableKey, VersionedEntityTable<?>> tables = new ConcurrentHashMap<>();

  private GtguardTables(Builder b) {
    this.extension = b.extension;
    this.enhanced = b.enhanced != null ? b.enhanced : b.extension.enhancedClient();
    this.names = b.names;
    this.schemas = Map.copyOf(b.schemas);
    this.defaults = b.defaults;
    this.customizers = List.copyOf(b.customizers);
  }

  /** A builder over the extension every table runs. */
  public static Builder builder(GlobalTablesExtension extension) {
    return new Builder(extension);
  }

  /**
   * The table of an entity class, named by the {@link GtguardTableNameResolver}.
   *
   * @throws InvalidEntityException if the class is not a valid {@code @Versioned} entity
   * @throws IllegalArgumentException if there is no schema for it
   */
  public <T> VersionedEntityTable<T> table(Class<T> entityType) {
    Objects.requireNonNull(entityType, "entityType");
    return table(names.resolve(entityType), schema(entityType));
  }

  /**
   * The table of that name for that schema's entities.
   *
   * @throws InvalidEntityException if the schema's entity is not a valid {@code @Versioned} entity
   */
  @SuppressWarnings("unchecked")
  public <T> VersionedEntityTable<T> table(String tableName, TableSchema<T> schema) {
    Objects.requireNonNull(tableName, "tableName");
    Objects.requireNonNull(schema, "schema");
    Class<?> type = schema.itemType().rawClass();
    return (VersionedEntityTable<T>)
        tables.computeIfAbsent(
            new TableKey(tableName, type),
            key ->
                extension.table(
                    enhanced.table(tableName, schema),
                    options -> {
                      defaults.accept(options);
                      customizers.forEach(c -> c.customize(tableName, type, options));
                    }));
  }

  /** Every table made so far. */
  public List<VersionedEntityTable<?>> tables() {
    return new ArrayList<>(tables.values());
  }

  /**
   * The Enhanced Client the tables are made from: the local region's client, the SDK's default
   * extensions and {@link GlobalTablesExtension}.
   */
  public DynamoDbEnhancedClient enhancedClient() {
    return enhanced;
  }

  @SuppressWarnings("unchecked")
  private <T> TableSchema<T> schema(Class<T> type) {
    TableSchema<?> bean = schemas.get(type);
    if (bean != null) {
      return (TableSchema<T>) bean;
    }
    try {
      return TableSchema.fromClass(type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          type.getName()
              + " has no table schema: annotate it @DynamoDbBean or @DynamoDbImmutable, or define"
              + " a TableSchema<"
              + type.getSimpleName()
              + "> bean",
          e);
    }
  }

  private record TableKey(String tableName, Class<?> type) {}

  /** Builds {@link GtguardTables}. */
  public static final class Builder {
    private final GlobalTablesExtension extension;
    private DynamoDbEnhancedClient enhanced;
    private GtguardTableNameResolver names = new DefaultGtguardTableNameResolver(null, null, null);
    private final Map<Class<?>, TableSchema<?>> schemas = new HashMap<>();
    private Consumer<VersionedTableBuilder> defaults = options -> {};
    private final List<GtguardTableCustomizer> customizers = new ArrayList<>();

    private Builder(GlobalTablesExtension extension) {
      this.extension = Objects.requireNonNull(extension, "extension");
    }

    /**
     * The Enhanced Client the tables are made from; it must run the extension and the SDK's
     * defaults ({@code .extensions(extension.withSdkDefaults())}). Default: {@link
     * GlobalTablesExtension#enhancedClient()}.
     */
    public Builder enhancedClient(DynamoDbEnhancedClient enhanced) {
      this.enhanced = Objects.requireNonNull(enhanced, "enhanced");
      return this;
    }

    /** How entity classes name their tables. Default: the class name in snake_case. */
    public Builder tableNames(GtguardTableNameResolver names) {
      this.names = Objects.requireNonNull(names, "names");
      return this;
    }

    /** Schemas to use instead of {@link TableSchema#fromClass}, one per entity class. */
    public Builder schemas(Collection<? extends TableSchema<?>> schemas) {
      for (TableSchema<?> schema : schemas) {
        this.schemas.put(schema.itemType().rawClass(), schema);
      }
      return this;
    }

    /** Options every table gets first, e.g. the failover and retry policies. */
    public Builder defaults(Consumer<VersionedTableBuilder> defaults) {
      this.defaults = Objects.requireNonNull(defaults, "defaults");
      return this;
    }

    /** Adds a customizer; customizers run in the order added, after the defaults. */
    public Builder customizer(GtguardTableCustomizer customizer) {
      customizers.add(Objects.requireNonNull(customizer, "customizer"));
      return this;
    }

    public GtguardTables build() {
      return new GtguardTables(this);
    }
  }
}
