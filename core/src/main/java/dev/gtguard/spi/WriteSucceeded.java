package dev.gtguard.spi;

import dev.gtguard.ItemKey;

/**
 * A write DynamoDB acknowledged.
 *
 * @param tableName the table written
 * @param key the item's key
 * @param region the region whose endpoint acknowledged it
 * @param operation what kind of write
 * @param version the item's version after the write (0 for deletes and appends)
 * @param writeToken the token the write stored, or {@code null} for deletes and appends
 * @param attempts how many requests it took, 1 without contention
 */
public record WriteSucceeded(
    String tableName,
    ItemKey key,
    String region,
    WriteOperation operation,
    long version,
    String writeToken,
    int attempts) {}
