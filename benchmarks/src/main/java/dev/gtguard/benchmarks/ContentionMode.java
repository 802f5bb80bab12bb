package dev.gtguard.benchmarks;

import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.ItemKey;
import dev.gtguard.SameItemUpdates;
import dev.gtguard.VersionedTable;
import dev.gtguard.exception.RetriesExhaustedException;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The ways {@link ContentionBenchmark} increments the hot item. Each puts the item with {@code
 * count} 0 into a fresh table and returns the writer its threads share.
 */
enum ContentionMode {
  /**
   * {@link VersionedTable#update(ItemKey, dev.gtguard.UpdateFunction)}, every default: updates
   * queued ({@link SameItemUpdates#QUEUED}), default retry policy.
   */
  LIBRARY_DEFAULT("library-default") {
    @Override
    ContentionWriter prepare(DynamoDbClient client, String tableName) {
      return library(client, tableName, ConflictRetryPolicy.ofDefaults(), SameItemUpdates.QUEUED);
    }
  },
  /** The default policy with {@link SameItemUpdates#COMBINED}: hot-key write combining. */
  LIBRARY_COMBINING("library-combining") {
    @Override
    ContentionWriter prepare(DynamoDbClient client, String tableName) {
      return library(client, tableName, ConflictRetryPolicy.ofDefaults(), SameItemUpdates.COMBINED);
    }
  },
  /**
   * The default policy with {@link SameItemUpdates#CONCURRENT}: the threads compete as processes
   * do, and the retry policy alone settles their conflicts.
   */
  LIBRARY_CONCURRENT("library-concurrent") {
    @Override
    ContentionWriter prepare(DynamoDbClient client, String tableName) {
      return library(
          client, tableName, ConflictRetryPolicy.ofDefaults(), SameItemUpdates.CONCURRENT);
    }
  },
  /** Concurrent, with the attempt limit lifted to {@value ContentionWriter#UNLIMITED}. */
  LIBRARY_UNLIMITED("library-unlimited") {
    @Override
    ContentionWriter prepare(DynamoDbClient client, String tableName) {
      return library(
          client,
          tableName,
          ConflictRetryPolicy.from(ConflictRetryPolicy.ofDefaults())
              .maxAttempts(ContentionWriter.UNLIMITED)
              .build(),
          SameItemUpdates.CONCURRENT);
    }
  },
  /**
   * The retry policy the default beat: one immediate retry on the refused item before the pauses
   * (each followed by a fresh read), limit lifted, concurrent.
   */
  LIBRARY_IMMEDIATE1("library-immediate1") {
    @Override
    ContentionWriter prepare(DynamoDbClient client, String tableName) {
      return library(
          client,
          tableName,
          ConflictRetryPolicy.from(ConflictRetryPolicy.ofDefaults())
              .immediateRetries(1)
              .maxAttempts(ContentionWriter.UNLIMITED)
              .build(),
          SameItemUpdates.CONCURRENT);
    }
  },
  /** The Enhanced Client's optimistic locking in a user's loop ({@link ContentionNaiveWriter}). */
  NAIVE_ENHANCED("naive-enhanced") {
    @Override
    ContentionWriter prepare(DynamoDbClient client, String tableName) {
      return new ContentionNaiveWriter(client, tableName, PK);
    }
  },
  /**
   * Low-level client, retry on the refusal's item after the pause ({@link ContentionRawWriter}).
   */
  RAW_REFUSAL("raw-refusal") {
    @Override
    ContentionWriter prepare(DynamoDbClient client, String tableName) {
      return new ContentionRawWriter(client, tableName, PK, false);
    }
  },
  /** Low-level client, read again after the pause ({@link ContentionRawWriter}). */
  RAW_REREAD("raw-reread") {
    @Override
    ContentionWriter prepare(DynamoDbClient client, String tableName) {
      return new ContentionRawWriter(client, tableName, PK, true);
    }
  },
  /** Consistent read, then an unconditional put of count + 1: loses updates, never retries. */
  BLIND("blind") {
    @Override
    ContentionWriter prepare(DynamoDbClient client, String tableName) {
      Map<String, AttributeValue> key = KEY.asMap();
      client.putItem(r -> r.tableName(tableName).item(item(0)));
      return () -> {
        long count =
            Long.parseLong(
                client
                    .getItem(r -> r.tableName(tableName).key(key).consistentRead(true))
                    .item()
                    .get("count")
                    .n());
        client.putItem(r -> r.tableName(tableName).item(item(count + 1)));
        return new ContentionWriter.Outcome(1, true);
      };
    }
  };

  /** The hot item's partition key value. */
  static final String PK = "hot";

  static final ItemKey KEY = ItemKey.of("pk", PK);

  private final String label;

  ContentionMode(String label) {
    this.label = label;
  }

  /** The name in {@code mode=} fields and in {@code gtguard.bench.modes}. */
  String label() {
    return label;
  }

  /** The mode named {@code label}. */
  static ContentionMode of(String label) {
    for (ContentionMode mode : values()) {
      if (mode.label.equals(label)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("unknown mode " + label);
  }

  /** Puts the hot item, {@code count} 0, into {@code tableName}; the writer all threads share. */
  abstract ContentionWriter prepare(DynamoDbClient client, String tableName);

  private static ContentionWriter library(
      DynamoDbClient client,
      String tableName,
      ConflictRetryPolicy policy,
      SameItemUpdates sameItemUpdates) {
    VersionedTable table =
        VersionedTable.builder()
            .client(client)
            .tableName(tableName)
            .partitionKey("pk")
            .retryPolicy(policy)
            .sameItemUpdates(sameItemUpdates)
            .build();
    table.create(item(0));
    return () -> {
      try {
        return new ContentionWriter.Outcome(table.update(KEY, Writers.INCREMENT).attempts(), true);
      } catch (RetriesExhaustedException e) {
        return new ContentionWriter.Outcome(e.attempts(), false);
      }
    };
  }

  private static Map<String, AttributeValue> item(long count) {
    return Map.of(
        "pk", AttributeValue.fromS(PK), "count", AttributeValue.fromN(Long.toString(count)));
  }
}
