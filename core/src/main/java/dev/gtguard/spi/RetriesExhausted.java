package dev.gtguard.spi;

import dev.gtguard.ItemKey;

/**
 * An update that lost every attempt it was allowed.
 *
 * @param tableName the table written
 * @param key the item's key
 * @param region the region written to
 * @param attempts how many conditional writes were sent
 * @param lastSeenVersion the version the last attempt was refused by
 */
public record RetriesExhausted(
    String tableName, ItemKey key, String region, int attempts, long lastSeenVersion) {}
