package dev.gtguard.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InMemoryCheckpointStoreTest {
  private static final String ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/1";

  private final CheckpointStore store = new InMemoryCheckpointStore();

  @Test
  void save_thenLoad_perStreamAndShard() {
    store.save(ARN, "shard-1", "100");
    store.save(ARN + "2", "shard-1", "200");

    assertThat(store.load(ARN, "shard-1")).contains("100");
    assertThat(store.load(ARN + "2", "shard-1")).contains("200");
    assertThat(store.load(ARN, "shard-2")).isEmpty();
  }

  @Test
  void save_earlierSequenceNumber_neverMovesBackwards() {
    store.save(ARN, "shard-1", "99");
    store.save(ARN, "shard-1", "100");

    store.save(ARN, "shard-1", "98");

    assertThat(store.load(ARN, "shard-1")).contains("100");
  }

  @Test
  void save_notASequenceNumber_refused() {
    assertThatThrownBy(() -> store.save(ARN, "shard-1", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.save(ARN, " ", "1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.load(ARN, "shard-1")).isEmpty();
  }
}
