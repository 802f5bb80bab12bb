package dev.gtguard.spi;

import dev.gtguard.ItemKey;

/**
 * A write found that the item's home had moved and was sent to the new home.
 *
 * @param tableName the table
 * @param key the item's key
 * @param fromRegion the region it was routed to first
 * @param toRegion the item's home as the refused write found it
 */
public record WriteRerouted(String tableName, ItemKey key, String fromRegion, String toRegion) {}
