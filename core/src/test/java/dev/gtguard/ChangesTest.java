package dev.gtguard;

import static dev.gtguard.Items.item;
import static dev.gtguard.Items.n;
import static dev.gtguard.Items.s;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChangesTest {

  @Test
  void between_setsNewAndChangedAndRemovesGoneAttributes() {
    Changes c =
        Changes.between(
            item("pk", s("a"), "same", n(1), "changed", n(1), "gone", s("x")),
            item("pk", s("a"), "same", n(1), "changed", n(2), "new", s("y")));

    assertThat(c.set()).containsOnlyKeys("changed", "new");
    assertThat(c.remove()).containsExactly("gone");
  }

  @Test
  void builder_laterCallWinsForSameName() {
    Changes c = Changes.builder().set("a", 1).remove("a").set("b", "x").build();
    assertThat(c.set()).containsOnlyKeys("b");
    assertThat(c.remove()).containsExactly("a");
  }

  @Test
  void builder_usedAgainAfterBuild_neverChangesWhatItBuilt() {
    Changes.Builder builder = Changes.builder().set("a", 1).remove("r");
    Changes first = builder.build();

    Changes second = builder.set("b", 2).remove("a").remove("s").build();
    builder.set("r", "back");

    assertThat(first.set()).containsOnlyKeys("a");
    assertThat(first.remove()).containsExactly("r");
    assertThat(second.set()).containsOnlyKeys("b");
    assertThat(second.remove()).containsExactly("r", "a", "s");
    assertThat(builder.build().remove()).containsExactly("a", "s");
  }

  @Test
  void none_isEmpty() {
    assertThat(Changes.none().isEmpty()).isTrue();
    assertThat(Changes.between(item("a", n(1)), item("a", n(1))).isEmpty()).isTrue();
  }
}
