package dev.gtguard.benchmarks;

import dev.gtguard.ItemKey;
import dev.gtguard.VersionedTable;
import dev.gtguard.ledger.WriteLedger;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.extensions.VersionedRecordExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The ways {@link DetectionCostBenchmark} writes one update: read the item (strongly consistent),
 * add one to its {@code count}, write the change. Every item is {@code {pk, count, data}} with a
 * {@value #PAYLOAD_CHARS}-character {@code data} string, plus whatever attributes the mode manages.
 */
enum DetectionMode {
  /** Low-level client: consistent {@code GetItem}, then {@code UpdateItem SET count = :n}. */
  RAW("raw", false) {
    @Override
    Writer prepare(DynamoDbClient client, String tableName, String ledgerTable) {
      return new Writer() {
        @Override
        public void create(String pk) {
          client.putItem(r -> r.tableName(tableName).item(item(pk)));
        }

        @Override
        public void update(String pk) {
          Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS(pk));
          long count =
              Long.parseLong(
                  client
                      .getItem(r -> r.tableName(tableName).key(key).consistentRead(true))
                      .item()
                      .get("count")
                      .n());
          client.updateItem(
              r ->
                  r.tableName(tableName)
                      .key(key)
                      .updateExpression("SET #count = :n")
                      .expressionAttributeNames(Map.of("#count", "count"))
                      .expressionAttributeValues(
                          Map.of(":n", AttributeValue.fromN(Long.toString(count + 1)))));
        }
      };
    }
  },
  /** Enhanced Client, {@code @DynamoDbVersionAttribute}: consistent getItem, then updateItem. */
  ENHANCED("enhanced", false) {
    @Override
    Writer prepare(DynamoDbClient client, String tableName, String ledgerTable) {
      DynamoDbTable<DetectionRecord> table =
          DynamoDbEnhancedClient.builder()
              .dynamoDbClient(client)
              .extensions(VersionedRecordExtension.builder().build())
              .build()
              .table(tableName, TableSchema.fromBean(DetectionRecord.class));
      return new Writer() {
        @Override
        public void create(String pk) {
          DetectionRecord record = new DetectionRecord();
          record.setPk(pk);
          record.setData(PAYLOAD);
          table.putItem(record);
        }

        @Override
        public void update(String pk) {
          Key key = Key.builder().partitionValue(pk).build();
          DetectionRecord record = table.getItem(r -> r.key(key).consistentRead(true));
          record.setCount(record.getCount() + 1);
          table.updateItem(record);
        }
      };
    }
  },
  /** {@link VersionedTable#update(ItemKey, dev.gtguard.UpdateFunction)}, no ledger. */
  PLAIN("plain", false) {
    @Override
    Writer prepare(DynamoDbClient client, String tableName, String ledgerTable) {
      return library(
          VersionedTable.builder().client(client).tableName(tableName).partitionKey("pk").build());
    }
  },
  /** The same with a {@link WriteLedger}: every write a two-item {@code TransactWriteItems}. */
  LEDGER("ledger", true) {
    @Override
    Writer prepare(DynamoDbClient client, String tableName, String ledgerTable) {
      return library(
          VersionedTable.builder()
              .client(client)
              .tableName(tableName)
              .partitionKey("pk")
              .ledger(WriteLedger.builder().tableName(ledgerTable).build())
              .build());
    }
  };

  /** The length of every item's {@code data} attribute. */
  static final int PAYLOAD_CHARS = 100;

  static final String PAYLOAD = "x".repeat(PAYLOAD_CHARS);

  private final String label;
  private final boolean ledger;

  DetectionMode(String label, boolean ledger) {
    this.label = label;
    this.ledger = ledger;
  }

  /** The name in {@code mode=} fields and in {@code gtguard.bench.modes}. */
  String label() {
    return label;
  }

  /** Whether the mode writes a ledger table (with a string {@code pk} and {@code sk}). */
  boolean ledger() {
    return ledger;
  }

  /** The mode named {@code label}. */
  static DetectionMode of(String label) {
    for (DetectionMode mode : values()) {
      if (mode.label.equals(label)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("unknown mode " + label);
  }

  /**
   * The writer for {@code tableName} (and {@code ledgerTable}, null unless {@link #ledger()}),
   * shared by every thread.
   */
  abstract Writer prepare(DynamoDbClient client, String tableName, String ledgerTable);

  /** Creates items and updates them, one call at a time; safe for concurrent use. */
  interface Writer {
    /** Puts the item {@code pk} with {@code count} 0 as the mode writes new items. */
    void create(String pk);

    /** One update: reads item {@code pk}, then writes {@code count + 1}. */
    void update(String pk);
  }

  private static Writer library(VersionedTable table) {
    return new Writer() {
      @Override
      public void create(String pk) {
        table.create(item(pk));
      }

      @Override
      public void update(String pk) {
        table.update(ItemKey.of("pk", pk), Writers.INCREMENT);
      }
    };
  }

  private static Map<String, AttributeValue> item(String pk) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS(pk));
    item.put("count", AttributeValue.fromN("0"));
    item.put("data", AttributeValue.fromS(PAYLOAD));
    return item;
  }
}
