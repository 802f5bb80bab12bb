package dev.gtguard.internal.write;

import dev.gtguard.ItemKey;
import dev.gtguard.VersionedItem;
import dev.gtguard.internal.ItemCodec;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/** Reads one item through one region's client. */
public final class ItemReader {
  private final ItemCodec codec;

  public ItemReader(ItemCodec codec) {
    this.codec = codec;
  }

  public Optional<VersionedItem> read(DynamoDbClient client, ItemKey key, boolean consistent) {
    GetItemResponse response =
        client.getItem(
            GetItemRequest.builder()
                .tableName(codec.table().tableName())
                .key(key.asMap())
                .consistentRead(consistent)
                .build());
    return response.hasItem() && !response.item().isEmpty()
        ? Optional.of(codec.read(response.item(), key))
        : Optional.empty();
  }
}
