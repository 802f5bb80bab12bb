package dev.gtguard;

/**
 * Computes the changes an update makes from the item as it currently is. It may be called more than
 * once per update: after a conflict it is called again with the item another writer left, so it
 * must be free of side effects and derive everything from its argument. In particular it must not
 * write through its own table: with {@link SameItemUpdates#QUEUED} (the default) or {@link
 * SameItemUpdates#COMBINED} such an update would wait for the one calling it ({@link
 * VersionedTable} throws {@link IllegalStateException} instead).
 *
 * <pre>{@code
 * UpdateFunction increment = item -> {
 *   long count = Long.parseLong(item.get("count").n());
 *   return Changes.builder().set("count", count + 1).build();
 * };
 * table.update(key, increment);
 * }</pre>
 */
@FunctionalInterface
public interface UpdateFunction {

  /**
   * @param current the item as last seen in the write region
   * @return what to set and remove; {@link Changes#none()} to write nothing
   */
  Changes apply(VersionedItem current);
}
