package dev.gtguard.testkit.internal;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;
import java.util.List;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.CommandLineInput;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local started in-process, listening on 127.0.0.1 only, without the configuration banner
 * it prints to stdout (unless {@link QuietLogging#verbose()}).
 *
 * <p>DynamoDB Local 3.3.1 binds its Jetty server to all interfaces and has no option for the host.
 * Its {@code DynamoDBProxyServer} keeps the Jetty {@link Server} in a private field, read here by
 * reflection so that the connector's host can be set before the server starts. Should a later
 * version keep it elsewhere, starting fails with an {@link IllegalStateException} saying so, rather
 * than silently listening on the network; and the address actually bound is checked after the
 * start.
 */
public final class LoopbackServer {
  /** The only address the servers listen on. */
  public static final String HOST = "127.0.0.1";

  private final DynamoDBProxyServer proxy;
  private final ServerConnector connector;

  private LoopbackServer(DynamoDBProxyServer proxy, ServerConnector connector) {
    this.proxy = proxy;
    this.connector = connector;
  }

  /**
   * Starts an in-memory, shared-database server on 127.0.0.1 and {@code port}.
   *
   * @throws Exception as Jetty fails to start, e.g. with a {@link java.net.BindException} cause
   *     when the port is taken
   * @throws IllegalStateException if the server cannot be bound to loopback
   */
  public static LoopbackServer start(int port) throws Exception {
    QuietLogging.apply();
    String[] args = {
      "-inMemory", "-sharedDb", "-disableTelemetry", "-port", Integer.toString(port)
    };
    DynamoDBProxyServer proxy;
    if (QuietLogging.verbose()) {
      proxy = ServerRunner.createServerFromCommandLineArgs(args); // prints its configuration
    } else {
      // What createServerFromCommandLineArgs does, but for printing the banner.
      CommandLineInput input = new CommandLineInput(args);
      if (!input.init()) {
        throw new IllegalStateException("DynamoDB Local refused the arguments " + List.of(args));
      }
      proxy = ServerRunner.createServer(input);
    }
    ServerConnector connector = onlyConnector(jettyServerOf(proxy));
    connector.setHost(HOST);
    LoopbackServer server = new LoopbackServer(proxy, connector);
    try {
      // Not start(): it swallows a failure to bind, printing it; safeStart() throws it.
      proxy.safeStart();
      InetSocketAddress bound = server.boundAddress();
      if (!bound.getAddress().isLoopbackAddress()) {
        throw new IllegalStateException("DynamoDB Local listens on " + bound + ", not loopback");
      }
    } catch (Exception e) {
      server.stopQuietly(e);
      throw e;
    }
    return server;
  }

  /** The address the server's socket is bound to. */
  public InetSocketAddress boundAddress() {
    Object transport = connector.getTransport();
    if (!(transport instanceof NetworkChannel channel)) {
      throw new IllegalStateException("DynamoDB Local's connector is not open: " + transport);
    }
    try {
      SocketAddress address = channel.getLocalAddress();
      if (address instanceof InetSocketAddress inet) {
        return inet;
      }
      throw new IllegalStateException("DynamoDB Local is bound to " + address);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read DynamoDB Local's bound address", e);
    }
  }

  /** Stops the server. */
  public void stop() throws Exception {
    proxy.stop();
  }

  private void stopQuietly(Exception cause) {
    try {
      proxy.stop();
    } catch (Exception e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * The Jetty server inside a DynamoDB Local {@code DynamoDBProxyServer} (or anything else that
   * keeps one in a field), found by its type.
   *
   * @throws IllegalStateException if there is none, or it cannot be read
   */
  static Server jettyServerOf(Object proxy) {
    for (Class<?> type = proxy.getClass(); type != null; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (Server.class.isAssignableFrom(field.getType())) {
          try {
            field.setAccessible(true);
            Object server = field.get(proxy);
            if (server != null) {
              return (Server) server;
            }
          } catch (ReflectiveOperationException | RuntimeException e) {
            throw unsupported(proxy, "its Jetty server cannot be read: " + e, e);
          }
        }
      }
    }
    throw unsupported(proxy, "it keeps no Jetty server in a field", null);
  }

  private static ServerConnector onlyConnector(Server server) {
    Connector[] connectors = server.getConnectors();
    if (connectors.length != 1 || !(connectors[0] instanceof ServerConnector connector)) {
      throw new IllegalStateException(
          "DynamoDB Local's Jetty server has connectors "
              + List.of(connectors)
              + ", not the one ServerConnector the gtguard testkit can bind to loopback");
    }
    return connector;
  }

  private static IllegalStateException unsupported(Object proxy, String why, Throwable cause) {
    return new IllegalStateException(
        "the gtguard testkit cannot bind "
            + proxy.getClass().getName()
            + " to loopback ("
            + why
            + "); it supports DynamoDB Local 3.3.x: use that version, or report this with yours",
        cause);
  }
}
