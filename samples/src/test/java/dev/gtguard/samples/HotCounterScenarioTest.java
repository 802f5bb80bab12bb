package dev.gtguard.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.testkit.DynamoDbLocalTest;
import dev.gtguard.testkit.LocalDynamoDb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@DynamoDbLocalTest
class HotCounterScenarioTest {
  private static final Pattern RESULT =
      Pattern.compile(
          "RESULT scenario=hot-counter mode=(blind|versioned) acknowledged=(\\d+) lost=(\\d+) attempts_per_success=(\\d+\\.\\d\\d)");

  @Test
  void run_printsOneContractLinePerMode_versionedLosesNothing(LocalDynamoDb ddb) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    new HotCounterScenario(ddb, 8, 25).run(new PrintStream(buffer, true, StandardCharsets.UTF_8));

    List<String> results =
        buffer
            .toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.startsWith("RESULT"))
            .toList();
    assertThat(results).hasSize(2);
    Matcher blind = RESULT.matcher(results.get(0));
    Matcher versioned = RESULT.matcher(results.get(1));
    assertThat(blind.matches()).as(results.get(0)).isTrue();
    assertThat(versioned.matches()).as(results.get(1)).isTrue();
    assertThat(blind.group(1)).isEqualTo("blind");
    assertThat(blind.group(2)).isEqualTo("200");
    assertThat(versioned.group(1)).isEqualTo("versioned");
    assertThat(versioned.group(2)).isEqualTo("200");
    assertThat(versioned.group(3)).isEqualTo("0");
    assertThat(Double.parseDouble(versioned.group(4))).isGreaterThanOrEqualTo(1.0);
  }
}
