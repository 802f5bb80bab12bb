package dev.gtguard.faults;

import static dev.gtguard.Items.increment;
import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.ItemKey;
import dev.gtguard.UpdateResult;
import dev.gtguard.VersionedItem;
import dev.gtguard.VersionedTable;
import dev.gtguard.spi.WriteListener;
import dev.gtguard.spi.WriteSucceeded;
import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A listener that throws anything but a JVM-fatal error never fails an acknowledged write. */
@DynamoDbLocalTest
class ListenerFailureTest {
  private static final ItemKey KEY = ItemKey.of("pk", "sub#1");

  @Test
  void listenersThrowingErrorsAndExceptions_writesStillAcknowledged_laterListenersStillHear(
      LocalDynamoDb ddb) {
    DynamoDbClient client = ddb.client();
    String tableName = ddb.createTable("listeners", "pk");
    List<WriteSucceeded> heard = new CopyOnWriteArrayList<>();
    VersionedTable table =
        VersionedTable.builder()
            .client(client)
            .tableName(tableName)
            .partitionKey("pk")
            .listener(throwing(new AssertionError("a failing assertion in a metrics hook")))
            .listener(throwing(new NoClassDefFoundError("io/micrometer/core/instrument/Counter")))
            .listener(throwing(new IllegalStateException("registry closed")))
            .listener(
                new WriteListener() {
                  @Override
                  public void onWriteSucceeded(WriteSucceeded event) {
                    heard.add(event);
                  }
                })
            .build();

    VersionedItem created = table.create(item("pk", s("sub#1"), "count", n(0)));
    UpdateResult updated = table.update(KEY, increment());
    table.delete(KEY, updated.item().expected());

    assertThat(created.version()).isEqualTo(1);
    assertThat(updated.item().version()).isEqualTo(2);
    assertThat(heard).extracting(WriteSucceeded::version).containsExactly(1L, 2L, 0L);
    assertThat(
            client
                .getItem(r -> r.tableName(tableName).key(KEY.asMap()).consistentRead(true))
                .item())
        .isEmpty();
  }

  private static WriteListener throwing(Throwable failure) {
    return new WriteListener() {
      @Override
      public void onWriteSucceeded(WriteSucceeded event) {
        if (failure instanceof Error error) {
          throw error;
        }
        throw (RuntimeException) failure;
      }

      @Override
      public String toString() {
        return "throwing " + failure.getClass().getSimpleName();
      }
    };
  }
}
