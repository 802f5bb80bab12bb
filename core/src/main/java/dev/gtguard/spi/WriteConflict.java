package dev.gtguard.spi;

import dev.gtguard.ItemKey;

/**
 * A conditional write that another writer beat.
 *
 * @param tableName the table written
 * @param key the item's key
 * @param region the region that refused the write
 * @param operation what kind of write
 * @param kind why it was refused
 * @param attempt which attempt of the operation this was, from 1
 * @param expectedVersion the version the write expected
 * @param actualVersion the version found, or -1 when DynamoDB did not say
 */
public record WriteConflict(
    String tableName,
    ItemKey key,
    String region,
    WriteOperation operation,
    ConflictKind kind,
    int attempt,
    long expectedVersion,
    long actualVersion) {}
