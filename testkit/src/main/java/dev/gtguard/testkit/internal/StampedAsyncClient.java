package dev.gtguard.testkit.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * An asynchronous client whose every operation goes through {@link
 * OriginInterceptor#releasingWhenDone}, so that the items a write locked are released when its
 * future completes, even where the SDK calls no interceptor (an {@code apiCallTimeout}, a
 * cancellation). A dynamic proxy: every operation of the SDK version on the class path, present or
 * future, is passed on as it is.
 */
public final class StampedAsyncClient implements InvocationHandler {
  private final DynamoDbAsyncClient client;

  private StampedAsyncClient(DynamoDbAsyncClient client) {
    this.client = client;
  }

  /** {@code client}, with the items its writes lock released when their futures complete. */
  public static DynamoDbAsyncClient of(DynamoDbAsyncClient client) {
    return (DynamoDbAsyncClient)
        Proxy.newProxyInstance(
            DynamoDbAsyncClient.class.getClassLoader(),
            new Class<?>[] {DynamoDbAsyncClient.class},
            new StampedAsyncClient(client));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> "Stamped(" + client + ")";
      };
    }
    try {
      return OriginInterceptor.releasingWhenDone(() -> method.invoke(client, args));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
