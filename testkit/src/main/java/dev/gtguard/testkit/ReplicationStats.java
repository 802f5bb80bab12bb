package dev.gtguard.testkit;

/**
 * What the simulated replication did so far, summed over all region pairs.
 *
 * @param replicated replicated writes applied in a destination region
 * @param discardedByLww replicated writes dropped because the destination held a later write: each
 *     is a write that, in that region, silently lost
 * @param untracked stream records of writes that did not go through the clients the simulator hands
 *     out; replicated with the time they were read as their origin time
 */
public record ReplicationStats(long replicated, long discardedByLww, long untracked) {}
