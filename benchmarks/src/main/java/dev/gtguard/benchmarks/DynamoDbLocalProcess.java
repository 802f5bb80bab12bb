package dev.gtguard.benchmarks;

import dev.gtguard.testkit.EmbeddedDynamoDb;
import dev.gtguard.testkit.LocalDynamoDb;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Embedded DynamoDB Local in a child JVM on this class path, on loopback, stopped on close: the
 * measuring JVM then holds only the library and the SDK (its heap, its threads), not the server's
 * tables and Jetty threads. The child serves until its parent closes its standard input.
 */
final class DynamoDbLocalProcess implements LocalDynamoDb {
  private static final String ENDPOINT = "ENDPOINT ";

  private final Process process;
  private final URI endpoint;
  private final DynamoDbClient client;

  private DynamoDbLocalProcess(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
    this.client = newClient(Region.EU_WEST_1);
  }

  /** The child JVM: DynamoDB Local until its parent closes standard input. */
  public static void main(String[] args) throws IOException {
    try (EmbeddedDynamoDb ddb = EmbeddedDynamoDb.start()) {
      System.out.println(ENDPOINT + ddb.endpoint());
      System.out.flush();
      while (System.in.read() != -1) {
        // wait for the parent
      }
    }
  }

  /** Starts the child JVM (-Xmx4g) and waits for its endpoint. */
  static DynamoDbLocalProcess start() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-Xmx4g",
                "-cp",
                System.getProperty("java.class.path"),
                DynamoDbLocalProcess.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    // DynamoDB Local prints its configuration banner first.
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith(ENDPOINT)) {
        URI endpoint = URI.create(line.substring(ENDPOINT.length()).trim());
        Thread drain = new Thread(() -> out.lines().forEach(rest -> {}), "child-jvm-stdout");
        drain.setDaemon(true);
        drain.start();
        return new DynamoDbLocalProcess(process, endpoint);
      }
    }
    process.destroyForcibly();
    throw new IOException("DynamoDB Local did not start in the child JVM");
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public DynamoDbClient client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
    try {
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
