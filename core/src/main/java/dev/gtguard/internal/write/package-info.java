/**
 * The write pipeline of gtguard core. <b>Not API.</b>
 *
 * <pre>
 * table facade -> WritePlan (create | update | single-shot | delete: what to write on a base)
 *              -> Router            home region of the key; failover only when provably not sent
 *              -> VersionedWrite    condition, names and values built once; plain or transaction item
 *              -> WriteExecutor     plain | with ledger; the only code that talks to DynamoDB
 *              -> OutcomeDecoder    response or exception -> Outcome; lost responses resolved
 *                                   with the write token (OutcomeResolver)
 *              -> WriteLoop         the one retry loop: retry / reroute / failover / done;
 *                                   waiting injected (Waiter)
 * </pre>
 */
package dev.gtguard.internal.write;
