package dev.gtguard.testkit.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;

/**
 * The Netty HTTP clients behind the testkit's asynchronous DynamoDB clients. They share one event
 * loop group for the whole JVM, of daemon threads, that no client owns: closing a Netty client that
 * owns its group (or holds the last reference to the SDK's shared one) waits out the group's
 * two-second quiet period, which a test suite closing many clients would pay each time.
 */
public final class NettyClients {
  /** Connections per client, as the blocking clients' Apache pool allows. */
  public static final int MAX_CONCURRENCY = 128;

  private NettyClients() {}

  private static final class Loop {
    static final SdkEventLoopGroup GROUP =
        SdkEventLoopGroup.builder().threadFactory(daemons("gtguard-testkit-netty-")).build();
  }

  /** A builder of a Netty client on the shared event loop group; closing the client is instant. */
  public static NettyNioAsyncHttpClient.Builder builder() {
    return NettyNioAsyncHttpClient.builder()
        .eventLoopGroup(Loop.GROUP)
        .maxConcurrency(MAX_CONCURRENCY);
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + next.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
