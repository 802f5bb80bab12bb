package dev.gtguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every server the testkit starts listens on 127.0.0.1 only: nothing on the network reaches it. */
class LoopbackOnlyTest {

  @Test
  void embeddedServer_boundToLoopback() {
    try (EmbeddedDynamoDb ddb = EmbeddedDynamoDb.start()) {
      InetSocketAddress bound = ddb.boundAddress();

      assertThat(bound.getAddress().isLoopbackAddress()).as(bound.toString()).isTrue();
      assertThat(bound.getPort()).isEqualTo(ddb.endpoint().getPort());
      assertThat(ddb.client().listTables().tableNames()).isNotNull();
    }
  }

  @Test
  void embeddedServer_refusesConnectionsOnThisMachinesOtherAddresses() throws IOException {
    InetAddress other = connectableNonLoopbackAddress().orElse(null);
    assumeTrue(other != null, "this machine has no non-loopback address that accepts connections");

    try (EmbeddedDynamoDb ddb = EmbeddedDynamoDb.start()) {
      int port = ddb.endpoint().getPort();
      assertThatThrownBy(() -> connect(other, port))
          .as("connecting to %s:%d", other.getHostAddress(), port)
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void globalTable_everyRegionsServerBoundToLoopback() {
    try (LocalGlobalTable global =
        LocalGlobalTable.builder().regions("eu-west-1", "us-east-1").start()) {
      for (String region : global.regions()) {
        InetSocketAddress bound = ((EmbeddedDynamoDb) global.server(region)).boundAddress();
        assertThat(bound.getAddress().isLoopbackAddress()).as(region + " " + bound).isTrue();
      }
    }
  }

  /**
   * An address of this machine other than loopback on which a server bound to all interfaces can be
   * reached: proven with a control server, so that a refusal later means the bind, not the network.
   */
  private static Optional<InetAddress> connectableNonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      List<InetAddress> addresses = Collections.list(nic.getInetAddresses());
      for (InetAddress address : addresses) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress() && reachable(address)) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean reachable(InetAddress address) {
    try (ServerSocket control = new ServerSocket(0)) { // all interfaces
      connect(address, control.getLocalPort());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void connect(InetAddress address, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 2000);
    }
  }
}
