package dev.gtguard.benchmarks;

import dev.gtguard.ConflictRetryPolicy;
import dev.gtguard.ItemKey;
import dev.gtguard.VersionedTable;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@link VersionedTable} on a {@link DynamoDbClient} over the Apache 5 HTTP client (the testkit's;
 * {@value #CONNECTIONS} connections, the SDK's default being 50), one platform thread per writer,
 * each calling {@code update(key, fn)} in a loop. Retries sleep on the writer's thread.
 */
final class BlockingWriters extends Writers {
  private final DynamoDbClient client;
  private final VersionedTable table;
  private final List<Thread> threads = new ArrayList<>();

  BlockingWriters(URI endpoint, String tableName, ConflictRetryPolicy policy, List<ItemKey> keys) {
    super(keys);
    client =
        DynamoDbClient.builder()
            .endpointOverride(endpoint)
            .region(Region.EU_WEST_1)
            .credentialsProvider(CREDENTIALS)
            .httpClientBuilder(Apache5HttpClient.builder().maxConnections(CONNECTIONS))
            .overrideConfiguration(o -> o.addExecutionInterceptor(requests))
            .build();
    table =
        VersionedTable.builder()
            .client(client)
            .tableName(tableName)
            .partitionKey("pk")
            .retryPolicy(policy)
            .build();
  }

  @Override
  void start() {
    ThreadFactory factory = named("bench-blocking-writer");
    for (int i = 0; i < keys.size(); i++) {
      ItemKey key = keys.get(i);
      Tally tally = tallies.get(i);
      Thread thread = factory.newThread(() -> loop(key, tally));
      threads.add(thread);
      thread.start();
    }
  }

  private void loop(ItemKey key, Tally tally) {
    while (running) {
      tally.started(System.nanoTime());
      try {
        table.update(key, INCREMENT);
        tally.success(System.nanoTime(), measuring());
      } catch (RuntimeException e) {
        tally.failure(e);
      }
    }
  }

  @Override
  void stop() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join();
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
