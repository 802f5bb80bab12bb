package dev.gtguard.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import software.amazon.dynamodb.services.local.main.CommandLineInput;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/** The reflective access to DynamoDB Local's Jetty server: it works, or it fails saying why. */
class LoopbackServerTest {

  @Test
  void jettyServerOf_findsTheServerInsideThisDynamoDbLocal() throws Exception {
    CommandLineInput input = new CommandLineInput(new String[] {"-inMemory", "-disableTelemetry"});
    assertThat(input.init()).isTrue();
    DynamoDBProxyServer proxy = ServerRunner.createServer(input);
    try {
      assertThat(LoopbackServer.jettyServerOf(proxy)).isNotNull();
    } finally {
      proxy.stop();
    }
  }

  @Test
  void jettyServerOf_somethingWithoutOne_failsClearly() {
    assertThatThrownBy(() -> LoopbackServer.jettyServerOf(new Object()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot bind java.lang.Object to loopback")
        .hasMessageContaining("no Jetty server")
        .hasMessageContaining("DynamoDB Local 3.3");
  }

  @Test
  void jettyServerOf_fieldNotSet_failsClearly() {
    assertThatThrownBy(() -> LoopbackServer.jettyServerOf(new Unset()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no Jetty server");
  }

  private static final class Unset {
    @SuppressWarnings("unused")
    private final Server server = null;
  }
}
