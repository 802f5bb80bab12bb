package dev.gtguard.internal.write;

import dev.gtguard.ItemKey;
import dev.gtguard.VersionedItem;
import dev.gtguard.internal.ItemCodec;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/** Reads one item in one region. */
public final class ItemReader {
  private final ItemCodec codec;
  private final Transport transport;

  public ItemReader(ItemCodec codec, Transport transport) {
    this.codec = codec;
    this.transport = transport;
  }

  /** The item in {@code region}, or empty if it has none. */
  public CompletableFuture<Optional<VersionedItem>> read(
      String region, ItemKey key, boolean consistent) {
    return transport
        .getItem(
            region,
            GetItemRequest.builder()
                .tableName(codec.table().tableName())
                .key(key.asMap())
                .consistentRead(consistent)
                .build())
        .thenApply(
            response ->
                response.hasItem() && !response.item().isEmpty()
                    ? Optional.of(codec.readOwned(response.item(), key))
                    : Optional.empty());
  }
}
