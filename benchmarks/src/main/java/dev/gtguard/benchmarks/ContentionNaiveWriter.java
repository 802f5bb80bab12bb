package dev.gtguard.benchmarks;

import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.extensions.VersionedRecordExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link ContentionBenchmark}'s {@code naive-enhanced} mode: the optimistic-locking loop a user
 * writes with the SDK's Enhanced Client and a {@link ContentionCounter} bean. Read (consistent),
 * increment, {@code updateItem}; on {@link ConditionalCheckFailedException} sleep a full-jitter
 * pause (uniform in {@code [0, min(1 s, 10 ms * 2^(retry - 1))]}, the library's default backoff),
 * then read again and retry.
 */
final class ContentionNaiveWriter implements ContentionWriter {
  private final DynamoDbTable<ContentionCounter> table;
  private final Key key;

  ContentionNaiveWriter(DynamoDbClient client, String tableName, String pk) {
    DynamoDbEnhancedClient enhanced =
        DynamoDbEnhancedClient.builder()
            .dynamoDbClient(client)
            .extensions(VersionedRecordExtension.builder().build())
            .build();
    this.table = enhanced.table(tableName, TableSchema.fromBean(ContentionCounter.class));
    this.key = Key.builder().partitionValue(pk).build();
    ContentionCounter first = new ContentionCounter();
    first.setPk(pk);
    first.setCount(0);
    table.putItem(first);
  }

  @Override
  public Outcome increment() throws InterruptedException {
    ContentionCounter counter = read();
    for (int attempt = 1; ; attempt++) {
      counter.setCount(counter.getCount() + 1);
      try {
        table.updateItem(counter);
        return new Outcome(attempt, true);
      } catch (ConditionalCheckFailedException e) {
        if (attempt == UNLIMITED) {
          return new Outcome(attempt, false);
        }
        long ceiling = Math.min(1000, 10L << Math.min(attempt - 1, 20));
        Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
        counter = read();
      }
    }
  }

  private ContentionCounter read() {
    return table.getItem(r -> r.key(key).consistentRead(true));
  }
}
