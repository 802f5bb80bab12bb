package dev.gtguard.testkit;

import dev.gtguard.testkit.internal.LoopbackServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local ({@code software.amazon.dynamodb:DynamoDBLocal}) running inside the test JVM, in
 * memory, on a free port, listening on 127.0.0.1 only: nothing on the network can reach it. It runs
 * with {@code -sharedDb}, so a client configured for any region or credentials sees the same
 * tables. Starts in about a second. Each instance has its own data, so several can stand for
 * several regions.
 *
 * <p>Quiet by default: no configuration banner on stdout, and Jetty's and sqlite4java's INFO
 * logging turned down unless you configured those loggers yourself (slf4j-simple, logback or
 * java.util.logging). Run with {@code -Dgtguard.testkit.verbose=true} to see everything.
 *
 * <pre>{@code
 * try (EmbeddedDynamoDb ddb = EmbeddedDynamoDb.start()) {
 *   String table = ddb.createTable("orders", "pk");
 *   ddb.client().putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("o1"))));
 * }
 * }</pre>
 */
public final class EmbeddedDynamoDb implements LocalDynamoDb {
  private final LoopbackServer server;
  private final URI endpoint;
  private final DynamoDbClient client;

  private EmbeddedDynamoDb(LoopbackServer server, int port) {
    this.server = server;
    this.endpoint = URI.create("http://" + LoopbackServer.HOST + ":" + port);
    this.client = newClient(Region.EU_WEST_1);
  }

  /**
   * Starts a new in-memory server on a free port.
   *
   * @throws IllegalStateException if it cannot be started
   */
  public static EmbeddedDynamoDb start() {
    Exception last = null;
    // A free port can be taken between probing and binding; try a few.
    for (int i = 0; i < 5; i++) {
      int port = freePort();
      try {
        return new EmbeddedDynamoDb(LoopbackServer.start(port), port);
      } catch (Exception e) {
        last = e;
        if (!(rootCause(e) instanceof BindException)) {
          break;
        }
      }
    }
    throw new IllegalStateException("could not start embedded DynamoDB Local", last);
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public DynamoDbClient client() {
    return client;
  }

  /** The address the server's socket is bound to: 127.0.0.1 and the endpoint's port. */
  InetSocketAddress boundAddress() {
    return server.boundAddress();
  }

  @Override
  public void close() {
    client.close();
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop embedded DynamoDB Local", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Throwable rootCause(Throwable e) {
    while (e.getCause() != null && e.getCause() != e) {
      e = e.getCause();
    }
    return e;
  }
}
