package dev.gtguard.internal.write;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Sends each write as one plain request: PutItem, UpdateItem (returning the item) or DeleteItem.
 */
public final class PlainExecutor implements WriteExecutor {
  private final Transport transport;

  public PlainExecutor(Transport transport) {
    this.transport = transport;
  }

  @Override
  public void check(VersionedWrite write) {}

  @Override
  public CompletableFuture<Map<String, AttributeValue>> send(Route route, VersionedWrite write) {
    String region = route.region();
    return switch (write.operation()) {
      case CREATE -> transport.putItem(region, write.putRequest()).thenApply(response -> null);
      case UPDATE ->
          transport.updateItem(region, write.updateRequest()).thenApply(r -> r.attributes());
      case DELETE -> transport.deleteItem(region, write.deleteRequest()).thenApply(r -> null);
      case APPEND ->
          CompletableFuture.failedFuture(
              new IllegalStateException("appends are not versioned writes"));
    };
  }

  @Override
  public CompletableFuture<List<VersionedWrite>> committed(
      Route route, List<VersionedWrite> attempts) {
    return CompletableFuture.completedFuture(null); // nothing but the item records a plain write
  }

  @Override
  public boolean proves() {
    return false;
  }
}
