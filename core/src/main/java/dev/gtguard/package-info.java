/**
 * gtguard core: versioned and append-only tables over the plain AWS SDK v2 {@code DynamoDbClient}
 * for DynamoDB Global Tables.
 *
 * <ul>
 *   <li>{@link dev.gtguard.VersionedTable} and {@link dev.gtguard.AppendOnlyTable};
 *   <li>the values they take and return: {@link dev.gtguard.ItemKey}, {@link dev.gtguard.Changes},
 *       {@link dev.gtguard.VersionedItem}, {@link dev.gtguard.UpdateResult}, {@link
 *       dev.gtguard.LostWrite};
 *   <li>routing and retry settings: {@link dev.gtguard.RegionClients}, {@link
 *       dev.gtguard.HomeRegionStrategy}, {@link dev.gtguard.FailoverPolicy}, {@link
 *       dev.gtguard.ConflictRetryPolicy}.
 * </ul>
 *
 * <p>Exceptions live in {@code dev.gtguard.exception}, listener events in {@code dev.gtguard.spi},
 * the write ledger and its reconciler in {@code dev.gtguard.ledger}, batch jobs in {@code
 * dev.gtguard.batch}, stream detection in {@code dev.gtguard.detect}. {@code dev.gtguard.internal}
 * is not API.
 */
package dev.gtguard;
