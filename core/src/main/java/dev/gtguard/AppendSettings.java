package dev.gtguard;

import dev.gtguard.internal.Listeners;
import dev.gtguard.internal.write.AppendLoop;
import dev.gtguard.internal.write.Transport;
import dev.gtguard.spi.WriteListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the blocking and the asynchronous append-only table builders share, checked once. */
final class AppendSettings {
  TableDescription table;
  int maxAttempts = 3;
  final List<WriteListener> listeners = new ArrayList<>();

  void table(TableDescription table) {
    Objects.requireNonNull(table, "table");
    if (table.sortKey().isEmpty()) {
      throw new IllegalArgumentException(
          "an append-only table needs a sort key for the ULIDs: " + table);
    }
    this.table = table;
  }

  void maxAttempts(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
  }

  /**
   * @throws IllegalStateException if the client or the table is missing
   */
  void check(Object client) {
    if (client == null || table == null) {
      throw new IllegalStateException("client and table are required");
    }
  }

  AppendLoop loop(String region, Transport transport) {
    return new AppendLoop(
        table, region, transport, new Listeners(List.copyOf(listeners)), maxAttempts);
  }
}
