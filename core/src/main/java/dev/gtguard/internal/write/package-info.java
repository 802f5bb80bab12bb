/**
 * The write pipeline of gtguard core, shared by the blocking and the asynchronous tables. <b>Not
 * API.</b>
 *
 * <pre>
 * table facade -> WriteRequests     argument checks, routing and plan of each public write
 *              -> WritePlan         create | update | single-shot | delete: what to write on a base
 *              -> Router            home region of the key; failover only when provably not sent
 *              -> VersionedWrite    condition, names and values built once; plain or transaction item
 *              -> WriteExecutor     plain | with ledger; builds the DynamoDB write calls
 *              -> OutcomeDecoder    response or exception -> Outcome; lost responses resolved
 *                                   with the write token (OutcomeResolver)
 *              -> WriteLoop         the one retry loop: retry / reroute / failover / done
 *                                   (AppendLoop: the append-only table's)
 *              -> Transport         the only difference between blocking and asynchronous:
 *                                   BlockingTransport (DynamoDbClient, Waiter) or AsyncTransport
 *                                   (DynamoDbAsyncClient, user executor, scheduled pauses)
 * </pre>
 *
 * Every stage composes {@link java.util.concurrent.CompletableFuture}s; on the blocking transport
 * they are complete when returned, and a write runs to its end on the calling thread.
 */
package dev.gtguard.internal.write;
