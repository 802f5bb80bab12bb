package dev.gtguard.spring.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.spring.GtguardClientCustomizer;
import dev.gtguard.spring.autoconfigure.GtguardAutoConfiguration;
import dev.gtguard.spring.autoconfigure.GtguardHealthAutoConfiguration;
import dev.gtguard.spring.health.GtguardHealthIndicator;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docs/iam/spring-health.json} grants exactly what the health probe calls, in every region:
 * the calls are recorded through a {@link GtguardClientCustomizer} on the local Global Table, as
 * {@code IamPolicyTest} in core records the library's own.
 */
@LocalGlobalTableTest(regions = {"eu-west-1", "us-east-1"})
class HealthIamPolicyTest {
  private static final Path POLICY = Path.of("..", "docs", "iam", "spring-health.json");

  @Test
  void healthProbe_describesEachTableInEachRegion_andNothingElse(LocalGlobalTable global)
      throws IOException {
    String table = global.createTable("subscriber", "id");
    String ledger = global.createTable("ledger", "pk", "sk");
    Set<String> calls = ConcurrentHashMap.newKeySet();
    Set<String> regions = ConcurrentHashMap.newKeySet();
    GtguardClientCustomizer recording =
        (region, builder) ->
            builder.overrideConfiguration(
                o ->
                    o.addExecutionInterceptor(
                        new ExecutionInterceptor() {
                          @Override
                          public void beforeExecution(
                              Context.BeforeExecution context, ExecutionAttributes attributes) {
                            regions.add(region);
                            if (context.request() instanceof DescribeTableRequest describe) {
                              calls.add("dynamodb:DescribeTable@" + describe.tableName());
                            } else {
                              calls.add(context.request().getClass().getSimpleName());
                            }
                          }
                        }));
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                GtguardAutoConfiguration.class, GtguardHealthAutoConfiguration.class))
        .withBean(
            AwsCredentialsProvider.class,
            () -> StaticCredentialsProvider.create(AwsBasicCredentials.create("l", "l")))
        .withBean(GtguardClientCustomizer.class, () -> recording)
        .withPropertyValues(
            "gtguard.local-region=eu-west-1",
            "gtguard.regions[0].name=eu-west-1",
            "gtguard.regions[0].endpoint=" + global.server("eu-west-1").endpoint(),
            "gtguard.regions[1].name=us-east-1",
            "gtguard.regions[1].endpoint=" + global.server("us-east-1").endpoint(),
            "gtguard.entity-packages=dev.gtguard.spring.fixtures",
            "gtguard.table-suffix=" + table.substring("subscriber".length()),
            "gtguard.ledger.table-name=" + ledger)
        .run(
            context ->
                assertThat(context.getBean(GtguardHealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.UP));

    assertThat(regions).containsExactlyInAnyOrder("eu-west-1", "us-east-1");
    Set<String> used = new TreeSet<>();
    for (String call : calls) {
      used.add(
          call.replace("@" + table, "@${TableName}").replace("@" + ledger, "@${LedgerTableName}"));
    }
    assertThat(grants()).containsExactlyInAnyOrderElementsOf(used);
  }

  /** Every {@code action@table} the policy allows, in any region. */
  @SuppressWarnings("unchecked")
  private static Set<String> grants() throws IOException {
    Map<String, Object> policy =
        JsonMapper.builder().build().readValue(Files.readString(POLICY), Map.class);
    assertThat(policy.get("Version")).isEqualTo("2012-10-17");
    Set<String> grants = new TreeSet<>();
    for (Map<String, Object> statement : (List<Map<String, Object>>) policy.get("Statement")) {
      assertThat(statement.get("Effect")).isEqualTo("Allow");
      String resource = (String) statement.get("Resource");
      assertThat(resource).as("every region").startsWith("arn:aws:dynamodb:*:");
      String table = resource.substring(resource.indexOf("table/") + "table/".length());
      for (String action : (List<String>) statement.get("Action")) {
        grants.add(action + "@" + table);
      }
    }
    return grants;
  }
}
