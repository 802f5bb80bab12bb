package dev.gtguard.testkit;

import java.net.URI;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local in a Docker container ({@code amazon/dynamodb-local}), for builds that would
 * rather not embed it. Needs {@code org.testcontainers:testcontainers} on the test class path and a
 * Docker engine; pair it with {@code @Testcontainers(disabledWithoutDocker = true)} so machines
 * without Docker skip those tests instead of failing them.
 *
 * <pre>{@code
 * @Testcontainers(disabledWithoutDocker = true)
 * class OrdersContainerTest {
 *   @Container static DynamoDbLocalContainer ddb = new DynamoDbLocalContainer();
 *
 *   @Test void stores() { String table = ddb.createTable("orders", "pk"); ... }
 * }
 * }</pre>
 */
public final class DynamoDbLocalContainer extends GenericContainer<DynamoDbLocalContainer>
    implements LocalDynamoDb {
  /** The image used by the no-argument constructor. */
  public static final DockerImageName DEFAULT_IMAGE =
      DockerImageName.parse("amazon/dynamodb-local:3.1.0");

  private static final int PORT = 8000;
  private DynamoDbClient client;

  public DynamoDbLocalContainer() {
    this(DEFAULT_IMAGE);
  }

  public DynamoDbLocalContainer(DockerImageName image) {
    super(image);
    withExposedPorts(PORT);
    withCommand("-jar", "DynamoDBLocal.jar", "-inMemory", "-sharedDb", "-disableTelemetry");
    waitingFor(Wait.forListeningPort());
  }

  @Override
  public URI endpoint() {
    return URI.create("http://" + getHost() + ":" + getMappedPort(PORT));
  }

  @Override
  public synchronized DynamoDbClient client() {
    if (client == null) {
      client = newClient(Region.EU_WEST_1);
    }
    return client;
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
    super.close();
  }
}
