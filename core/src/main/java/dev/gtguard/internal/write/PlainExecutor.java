package dev.gtguard.internal.write;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Sends each write as one plain request: PutItem, UpdateItem (returning the item) or DeleteItem.
 */
public final class PlainExecutor implements WriteExecutor {

  @Override
  public void check(VersionedWrite write) {}

  @Override
  public Map<String, AttributeValue> send(Route route, VersionedWrite write) {
    return switch (write.operation()) {
      case CREATE -> {
        route.client().putItem(write.putRequest());
        yield null;
      }
      case UPDATE -> route.client().updateItem(write.updateRequest()).attributes();
      case DELETE -> {
        route.client().deleteItem(write.deleteRequest());
        yield null;
      }
      case APPEND -> throw new IllegalStateException("appends are not versioned writes");
    };
  }

  @Override
  public List<VersionedWrite> committed(Route route, List<VersionedWrite> attempts) {
    return null; // nothing but the item itself records a plain write
  }

  @Override
  public boolean proves() {
    return false;
  }
}
