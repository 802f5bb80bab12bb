package dev.gtguard.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.testkit.Lag;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@LocalGlobalTableTest
class MultiRegionScenariosTest {
  private static final Pattern RESULT =
      Pattern.compile(
          "RESULT scenario=(london|load) mode=(as-deployed|versioned) acknowledged=(\\d+) lost=(\\d+) detected=(\\d+)");

  private static List<Matcher> results(Scenario scenario) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    scenario.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    return buffer
        .toString(StandardCharsets.UTF_8)
        .lines()
        .filter(l -> l.startsWith("RESULT"))
        .map(RESULT::matcher)
        .peek(m -> assertThat(m.matches()).as(m.toString()).isTrue())
        .toList();
  }

  @Test
  void london_bothModesLoseTheAddressChange_nothingClaimedDetected(LocalGlobalTable global)
      throws Exception {
    List<Matcher> results = results(new LondonScenario(global, Lag.of(Duration.ofMillis(300))));

    assertThat(results).hasSize(2);
    assertThat(results).extracting(m -> m.group(2)).containsExactly("as-deployed", "versioned");
    assertThat(results)
        .allSatisfy(
            m -> {
              assertThat(m.group(3)).isEqualTo("2");
              assertThat(m.group(4)).isEqualTo("1");
              assertThat(m.group(5)).isEqualTo("0");
            });
  }

  @Test
  void load_printsOneLinePerMode_lostNeverExceedsAcknowledged(LocalGlobalTable global)
      throws Exception {
    List<Matcher> results =
        results(
            new LoadScenario(
                global,
                9,
                Duration.ofSeconds(1),
                Lag.of(Duration.ofMillis(100), Duration.ofMillis(100))));

    assertThat(results).extracting(m -> m.group(2)).containsExactly("as-deployed", "versioned");
    assertThat(results)
        .allSatisfy(
            m -> {
              assertThat(Long.parseLong(m.group(3))).isPositive();
              assertThat(Long.parseLong(m.group(4)))
                  .isLessThanOrEqualTo(Long.parseLong(m.group(3)));
            });
  }
}
