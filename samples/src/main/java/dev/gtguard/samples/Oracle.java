package dev.gtguard.samples;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Records every acknowledged write (item, attribute, unique value) and, given the final state, says
 * which were lost. Per item and attribute the acknowledged writes are ordered by acknowledgement;
 * the one whose value is in the final item survived, the ones before it were superseded, and every
 * one after it (or all of them, if none survived) was lost: acknowledged, newer than what is
 * stored, and gone.
 */
final class Oracle {
  /** One acknowledged write. */
  record Write(String item, String attribute, String value, String region, long sequence) {}

  private final AtomicLong sequence = new AtomicLong();
  private final ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();

  /** Call right after DynamoDB acknowledged the write. */
  void acknowledged(String item, String attribute, String value, String region) {
    writes.add(new Write(item, attribute, value, region, sequence.incrementAndGet()));
  }

  long acknowledged() {
    return writes.size();
  }

  /** The lost writes, given the final items by item key (as the {@code item} names them). */
  List<Write> lost(Map<String, Map<String, AttributeValue>> finalItems) {
    Map<String, List<Write>> byAttribute =
        writes.stream().collect(Collectors.groupingBy(w -> w.item() + "\u0000" + w.attribute()));
    List<Write> lost = new ArrayList<>();
    for (List<Write> history : byAttribute.values()) {
      history.sort(Comparator.comparingLong(Write::sequence));
      Write first = history.get(0);
      Map<String, AttributeValue> item = finalItems.getOrDefault(first.item(), Map.of());
      AttributeValue stored = item.get(first.attribute());
      int survivor = -1;
      for (int i = 0; i < history.size(); i++) {
        if (stored != null && history.get(i).value().equals(stored.s())) {
          survivor = i;
        }
      }
      lost.addAll(history.subList(survivor + 1, history.size()));
    }
    lost.sort(Comparator.comparingLong(Write::sequence));
    return lost;
  }
}
