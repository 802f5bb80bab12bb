package dev.gtguard.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * JUnit 5 extension behind {@link DynamoDbLocalTest}: starts one {@link EmbeddedDynamoDb} per JVM,
 * lazily, stops it when the test run ends, and resolves {@link LocalDynamoDb} and {@link
 * DynamoDbClient} parameters.
 *
 * <pre>{@code
 * @ExtendWith(DynamoDbLocalExtension.class)
 * class OrdersTest {
 *   @Test void stores(DynamoDbClient client) { ... }
 * }
 * }</pre>
 */
public final class DynamoDbLocalExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DynamoDbLocalExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalDynamoDb.class || type == DynamoDbClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    LocalDynamoDb ddb = server(context);
    return parameter.getParameter().getType() == DynamoDbClient.class ? ddb.client() : ddb;
  }

  /** The JVM-wide embedded server, started on first use and closed with the root context. */
  public static LocalDynamoDb server(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Server.class, k -> new Server(EmbeddedDynamoDb.start()), Server.class)
        .ddb;
  }

  private record Server(EmbeddedDynamoDb ddb) implements AutoCloseable {
    @Override
    public void close() {
      ddb.close();
    }
  }
}
