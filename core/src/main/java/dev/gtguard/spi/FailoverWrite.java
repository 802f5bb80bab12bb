package dev.gtguard.spi;

import dev.gtguard.ItemKey;

/**
 * A write that went to the local region because its home region was unreachable. It bypassed the
 * home region's guarantee, so it may be lost to a concurrent write there: loss detection checks it.
 *
 * @param tableName the table
 * @param key the item's key
 * @param operation what kind of write
 * @param homeRegion the unreachable home region
 * @param writtenRegion the region written to instead
 * @param cause why the home region was considered unreachable
 */
public record FailoverWrite(
    String tableName,
    ItemKey key,
    WriteOperation operation,
    String homeRegion,
    String writtenRegion,
    Throwable cause) {}
