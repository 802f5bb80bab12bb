package dev.gtguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@LocalGlobalTableTest(
    regions = {"eu-west-1", "ap-southeast-1"},
    lagMillis = 20,
    shared = true)
class SharedLocalGlobalTableExtensionTest {

  @AfterAll
  static void leaveItFlowing(LocalGlobalTable global) {
    global.reset();
  }

  @Test
  void extension_resolvesTheJvmWideInstanceOfItsRegions(LocalGlobalTable global) {
    assertThat(global)
        .isSameAs(LocalGlobalTable.shared("eu-west-1", "ap-southeast-1"))
        .isNotSameAs(LocalGlobalTable.shared("us-east-1", "eu-west-1"));
    assertThat(global.regions()).containsExactly("eu-west-1", "ap-southeast-1");
  }

  @Test
  void controlsAreResetBeforeEachTest_one(LocalGlobalTable global) {
    pauseLeavesItPausedForTheNextTestUnlessReset(global);
  }

  @Test
  void controlsAreResetBeforeEachTest_two(LocalGlobalTable global) {
    pauseLeavesItPausedForTheNextTestUnlessReset(global);
  }

  /** Whichever runs second fails unless the extension resumed what the first paused. */
  private static void pauseLeavesItPausedForTheNextTestUnlessReset(LocalGlobalTable global) {
    String table = global.createTable("reset", "pk");
    global
        .client("eu-west-1")
        .putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("a"))));
    global.awaitQuiescence(Duration.ofSeconds(30));
    global.pause();
  }
}
