package dev.gtguard.enhanced;

import dev.gtguard.AppendOnlyTable;
import dev.gtguard.ItemKey;
import dev.gtguard.TableDescription;
import dev.gtguard.enhanced.internal.EntityModel;
import dev.gtguard.spi.WriteListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A table of append-only entities (their sort key is a {@link UlidSortKey}): each {@link #append}
 * stores a new item under a new ULID in the local region, so no two writes touch the same item.
 * Delegates to a core {@link AppendOnlyTable}. Thread-safe.
 *
 * <pre>{@code
 * AppendOnlyEntityTable<CustomerEvent> events =
 *     globalTables.appendOnlyTable(enhanced.table("events", TableSchema.fromBean(CustomerEvent.class)));
 * CustomerEvent stored = events.append(new CustomerEvent("c-42", "ADDRESS_CHANGED"));
 * String ulid = stored.getEventId();
 * }</pre>
 */
public final class AppendOnlyEntityTable<T> {
  private final DynamoDbTable<T> table;
  private final TableSchema<T> schema;
  private final EntityModel model;
  private final AppendOnlyTable core;

  AppendOnlyEntityTable(
      DynamoDbTable<T> table,
      EntityModel model,
      DynamoDbClient client,
      List<WriteListener> listeners) {
    this.table = table;
    this.schema = table.tableSchema();
    this.model = model;
    AppendOnlyTable.Builder builder =
        AppendOnlyTable.builder()
            .client(client)
            .table(
                TableDescription.builder()
                    .tableName(table.tableName())
                    .partitionKey(model.partitionKey())
                    .sortKey(model.sortKey())
                    .build());
    listeners.forEach(builder::listener);
    this.core = builder.build();
  }

  /** The table's name. */
  public String tableName() {
    return table.tableName();
  }

  /** The Enhanced Client table: for queries, scans and reads; its writes are refused. */
  public DynamoDbTable<T> dynamoDbTable() {
    return table;
  }

  /**
   * Appends the entity under a new ULID sort key. Leave the sort key {@code null}.
   *
   * @return the stored entity, with its sort key set
   * @throws dev.gtguard.exception.InvalidItemException if the entity breaks an input rule (its sort
   *     key is set, its partition key missing, it is too large); nothing is written
   */
  public T append(T entity) {
    Objects.requireNonNull(entity, "entity");
    Map<String, AttributeValue> item = new LinkedHashMap<>(schema.itemToMap(entity, true));
    ItemKey key = core.append(item);
    item.put(model.ulidSortKey(), key.get(model.ulidSortKey()));
    return schema.mapToItem(item);
  }
}
