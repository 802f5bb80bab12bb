package dev.gtguard.spi;

import dev.gtguard.ItemKey;
import java.time.Duration;

/**
 * A refused write that will be sent again.
 *
 * @param tableName the table written
 * @param key the item's key
 * @param region the region it goes to
 * @param nextAttempt the number of the attempt about to be made, from 2
 * @param delay the full-jitter pause before it
 */
public record RetryScheduled(
    String tableName, ItemKey key, String region, int nextAttempt, Duration delay) {}
