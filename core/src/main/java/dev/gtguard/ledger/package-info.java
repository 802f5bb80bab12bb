/**
 * The write ledger (an append-only record of every versioned write) and the {@link
 * dev.gtguard.ledger.Reconciler} that finds every lost write in it.
 */
package dev.gtguard.ledger;
