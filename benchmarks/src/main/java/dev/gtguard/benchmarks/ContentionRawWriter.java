package dev.gtguard.benchmarks;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link ContentionBenchmark}'s {@code raw-refusal} and {@code raw-reread} modes: the library's
 * retry shape written on the low-level client, with nothing else of the library (no write token, no
 * routing), so that the two differ in one thing only. Each reads the item (consistent), writes
 * {@code SET count = count read + 1, ver = ver read + 1} on condition {@code ver = ver read}, and
 * after a refusal sleeps the library's full-jitter pause (uniform in {@code [0, min(1 s, 10 ms *
 * 2^(retry - 1))]}), then retries from:
 *
 * <ul>
 *   <li>{@code raw-refusal}: the item DynamoDB returned with the refusal ({@code
 *       ReturnValuesOnConditionCheckFailure=ALL_OLD}), as the library does: it is as old as the
 *       pause;
 *   <li>{@code raw-reread}: a fresh consistent read after the pause, as the naive loop does.
 * </ul>
 */
final class ContentionRawWriter implements ContentionWriter {
  private final DynamoDbClient client;
  private final String tableName;
  private final Map<String, AttributeValue> key;
  private final boolean reread;

  ContentionRawWriter(DynamoDbClient client, String tableName, String pk, boolean reread) {
    this.client = client;
    this.tableName = tableName;
    this.key = Map.of("pk", AttributeValue.fromS(pk));
    this.reread = reread;
    client.putItem(
        r ->
            r.tableName(tableName)
                .item(Map.of("pk", key.get("pk"), "count", number(0), "ver", number(1))));
  }

  @Override
  public Outcome increment() throws InterruptedException {
    Map<String, AttributeValue> item = read();
    for (int attempt = 1; ; attempt++) {
      long count = Long.parseLong(item.get("count").n());
      long version = Long.parseLong(item.get("ver").n());
      try {
        client.updateItem(
            r ->
                r.tableName(tableName)
                    .key(key)
                    .updateExpression("SET #count = :count, ver = :next")
                    .conditionExpression("ver = :ver")
                    .expressionAttributeNames(Map.of("#count", "count"))
                    .expressionAttributeValues(
                        Map.of(
                            ":count", number(count + 1),
                            ":next", number(version + 1),
                            ":ver", number(version)))
                    .returnValuesOnConditionCheckFailure(
                        reread ? null : ReturnValuesOnConditionCheckFailure.ALL_OLD));
        return new Outcome(attempt, true);
      } catch (ConditionalCheckFailedException e) {
        if (attempt == UNLIMITED) {
          return new Outcome(attempt, false);
        }
        long ceiling = Math.min(1000, 10L << Math.min(attempt - 1, 20));
        Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
        item = reread ? read() : e.item();
      }
    }
  }

  private Map<String, AttributeValue> read() {
    return client.getItem(r -> r.tableName(tableName).key(key).consistentRead(true)).item();
  }

  private static AttributeValue number(long n) {
    return AttributeValue.fromN(Long.toString(n));
  }
}
