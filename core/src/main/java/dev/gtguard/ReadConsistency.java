package dev.gtguard;

/**
 * How a read is served. Note that with Global Tables a strongly consistent read is only consistent
 * within the region that serves it: a write acknowledged in another region may not have arrived
 * yet.
 *
 * <pre>{@code
 * table.get(key, ReadConsistency.STRONG);
 * }</pre>
 */
public enum ReadConsistency {
  /** DynamoDB's default: cheaper, may miss writes from the last second or so. */
  EVENTUAL,
  /** Reflects every write this region has acknowledged. */
  STRONG
}
