package dev.gtguard.enhanced.internal;

import dev.gtguard.enhanced.InvalidEntityException;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbAsyncTable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClientExtension;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbExtensionContext;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.MappedTableResource;
import software.amazon.awssdk.enhanced.dynamodb.OperationContext;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.extensions.VersionedRecordExtension;
import software.amazon.awssdk.enhanced.dynamodb.extensions.WriteModification;
import software.amazon.awssdk.enhanced.dynamodb.internal.operations.OperationName;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Asks a table's extension chain, through the public extension API, which extensions it runs: one
 * probe put, never sent, of an item whose schema has an SDK version attribute and an atomic counter
 * and that carries a marker only {@code GlobalTablesExtension} answers. {@code
 * VersionedRecordExtension} answers by adding the version, {@code AtomicCounterExtension} by adding
 * the counter. Tables of the blocking and of the asynchronous Enhanced Client alike: both are a
 * {@link MappedTableResource} with the client's extension chain.
 */
public final class ExtensionProbe {
  private static final String ID = "gtguard_probe_id";
  private static final String VERSION = "gtguard_probe_version";
  private static final String COUNTER = "gtguard_probe_counter";
  private static final TableSchema<ProbeItem> SCHEMA =
      StaticTableSchema.builder(ProbeItem.class)
          .newItemSupplier(ProbeItem::new)
          .addAttribute(
              String.class,
              a ->
                  a.name(ID)
                      .getter(ProbeItem::id)
                      .setter(ProbeItem::id)
                      .tags(StaticAttributeTags.primaryPartitionKey()))
          .addAttribute(
              Long.class,
              a ->
                  a.name(VERSION)
                      .getter(ProbeItem::number)
                      .setter(ProbeItem::number)
                      .tags(VersionedRecordExtension.AttributeTags.versionAttribute()))
          .addAttribute(
              Long.class,
              a ->
                  a.name(COUNTER)
                      .getter(ProbeItem::number)
                      .setter(ProbeItem::number)
                      .tags(StaticAttributeTags.atomicCounter()))
          .build();

  private ExtensionProbe() {}

  /**
   * @throws InvalidEntityException if the table's client does not run {@code GlobalTablesExtension}
   *     (answering {@code marker} with {@code value} under {@code valueName}) and the SDK's default
   *     extensions
   */
  public static void check(
      MappedTableResource<?> table,
      String entity,
      String marker,
      String valueName,
      AttributeValue value) {
    DynamoDbEnhancedClientExtension chain = table.mapperExtension();
    WriteModification answer =
        chain == null
            ? WriteModification.builder().build()
            : chain.beforeWrite(new Probe(table.tableName(), Map.of(ID, value, marker, value)));
    Expression condition = answer.additionalConditionalExpression();
    boolean ours =
        condition != null
            && condition.expressionValues() != null
            && value.equals(condition.expressionValues().get(valueName));
    Map<String, AttributeValue> item = answer.transformedItem();
    boolean versions = item != null && item.containsKey(VERSION);
    boolean counters = item != null && item.containsKey(COUNTER);
    boolean async = table instanceof DynamoDbAsyncTable;
    String client = async ? "DynamoDbEnhancedAsyncClient" : "DynamoDbEnhancedClient";
    String fix =
        " Build the client with globalTables."
            + (async ? "enhancedAsyncClient()" : "enhancedClient()")
            + ", or "
            + client
            + ".builder().extensions(globalTables.withSdkDefaults()):"
            + " each extensions(...) call replaces the whole list, and the SDK's default list"
            + " does not hold GlobalTablesExtension";
    if (!ours) {
      throw new InvalidEntityException(
          "the "
              + client
              + " behind table '"
              + table.tableName()
              + "' ("
              + entity
              + ") does not run GlobalTablesExtension, so its plain putItem/updateItem would write"
              + " unprotected."
              + fix);
    }
    if (!versions || !counters) {
      throw new InvalidEntityException(
          "the "
              + client
              + " behind table '"
              + table.tableName()
              + "' ("
              + entity
              + ") runs GlobalTablesExtension without the SDK's "
              + (versions ? "" : "VersionedRecordExtension" + (counters ? "" : " and "))
              + (counters ? "" : "AtomicCounterExtension")
              + ", so other entities on that client would silently lose their"
              + (versions ? "" : " @DynamoDbVersionAttribute checks")
              + (versions || counters ? "" : " and")
              + (counters ? "" : " @DynamoDbAtomicCounter increments")
              + "."
              + fix);
    }
  }

  /** The probe put's context. */
  private static final class Probe implements DynamoDbExtensionContext.BeforeWrite {
    private final String tableName;
    private final Map<String, AttributeValue> item;

    Probe(String tableName, Map<String, AttributeValue> item) {
      this.tableName = tableName;
      this.item = item;
    }

    @Override
    public Map<String, AttributeValue> items() {
      return item;
    }

    @Override
    public OperationContext operationContext() {
      return new OperationContext() {
        @Override
        public String tableName() {
          return tableName;
        }

        @Override
        public String indexName() {
          return TableMetadata.primaryIndexName();
        }
      };
    }

    @Override
    public TableMetadata tableMetadata() {
      return SCHEMA.tableMetadata();
    }

    @Override
    public TableSchema<?> tableSchema() {
      return SCHEMA;
    }

    @Override
    public OperationName operationName() {
      return OperationName.PUT_ITEM;
    }
  }

  /** The probe schema's item type; never instantiated with data. */
  public static final class ProbeItem {
    private String id;
    private Long number;

    String id() {
      return id;
    }

    void id(String id) {
      this.id = id;
    }

    Long number() {
      return number;
    }

    void number(Long number) {
      this.number = number;
    }
  }
}
