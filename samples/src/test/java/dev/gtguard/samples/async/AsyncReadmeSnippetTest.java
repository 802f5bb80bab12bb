package dev.gtguard.samples.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.ItemKey;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedTable;
import dev.gtguard.samples.entity.ReadmeSnippetsTest;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/** The README's asynchronous example is compiled code, and it runs. */
@DynamoDbLocalTest
class AsyncReadmeSnippetTest {

  @Test
  void theMarkedRegion_appearsInTheReadmeVerbatim() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    List<String> snippets =
        ReadmeSnippetsTest.regions(
            Path.of("src/main/java/dev/gtguard/samples/async/AsyncSubscribers.java"));

    assertThat(snippets).hasSize(1);
    assertThat(readme).as("README holds the compiled snippet").contains(snippets.get(0));
  }

  @Test
  void theExample_updatesOnTheApplicationExecutor(LocalDynamoDb ddb) throws Exception {
    try {
      ddb.client()
          .createTable(
              r ->
                  r.tableName("subscribers")
                      .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                      .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                      .billingMode("PAY_PER_REQUEST"));
    } catch (ResourceInUseException alreadyThere) {
      ddb.client()
          .deleteItem(r -> r.tableName("subscribers").key(ItemKey.of("pk", "sub#1").asMap()));
    }
    VersionedTable.builder()
        .client(ddb.client())
        .tableName("subscribers")
        .partitionKey("pk")
        .build()
        .create(Map.of("pk", AttributeValue.fromS("sub#1"), "plan", AttributeValue.fromS("basic")));
    ExecutorService application = Executors.newSingleThreadExecutor(r -> new Thread(r, "app"));
    try (DynamoDbAsyncClient client =
        DynamoDbAsyncClient.builder()
            .endpointOverride(ddb.endpoint())
            .region(Region.EU_WEST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build()) {
      UpdateResult result =
          AsyncSubscribers.example(client, application)
              .thenApply(
                  r -> {
                    assertThat(Thread.currentThread().getName()).isEqualTo("app");
                    return r;
                  })
              .get(10, TimeUnit.SECONDS);

      assertThat(result.item().get("plan")).isEqualTo(AttributeValue.fromS("gold"));
      assertThat(result.item().version()).isEqualTo(2);
    } finally {
      application.shutdownNow();
    }
  }
}
