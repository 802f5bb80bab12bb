package dev.gtguard.enhanced;

import dev.gtguard.LostWrite;
import java.util.List;

/**
 * What an entity update wrote.
 *
 * <pre>{@code
 * EntityUpdateResult<Customer> result = customers.updateWithResult(key, c -> { ...; return c; });
 * long version = result.entity().getVersion();
 * result.lostWrites().forEach(lost -> log.warn("overwritten by replication: {}", lost));
 * }</pre>
 *
 * @param entity the entity as stored after the write, with its new version and write token
 * @param attempts conditional writes sent: 1 without contention, 0 when nothing changed
 * @param lostWrites earlier writes this update found overwritten by replication (see {@link
 *     dev.gtguard.UpdateResult#lostWrites()})
 */
public record EntityUpdateResult<T>(T entity, int attempts, List<LostWrite> lostWrites) {

  public EntityUpdateResult {
    lostWrites = List.copyOf(lostWrites);
  }
}
