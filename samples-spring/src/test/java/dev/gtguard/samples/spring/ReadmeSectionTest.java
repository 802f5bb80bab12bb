package dev.gtguard.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's Spring Boot section is compiled code and configuration: each region between {@code
 * README:name} and {@code README:end} markers (Java or YAML comments) of this sample appears in the
 * README's "Spring Boot" section verbatim. The LondonIncidentHttpTest runs them.
 */
class ReadmeSectionTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Path MAIN = Path.of("src", "main");

  @Test
  void everyMarkedRegion_appearsInTheSpringBootSectionVerbatim() throws IOException {
    String section = section();
    List<String> snippets = new ArrayList<>();
    snippets.addAll(regions(MAIN.resolve("java/dev/gtguard/samples/spring/Subscribers.java")));
    snippets.addAll(regions(MAIN.resolve("resources/application.yml")));

    assertThat(snippets).hasSize(2);
    for (String snippet : snippets) {
      assertThat(section).as("the section holds the compiled snippet").contains(snippet);
    }
  }

  @Test
  void theSection_isUnder25Lines() throws IOException {
    assertThat(section().lines().count()).isLessThan(25);
  }

  /** The README from its "## Spring Boot" heading to the next heading of that level. */
  private static String section() throws IOException {
    String readme = Files.readString(README);
    int start = readme.indexOf("\n## Spring Boot\n");
    assertThat(start).as("the README has a Spring Boot section").isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    return readme.substring(start + 1, end < 0 ? readme.length() : end).strip() + "\n";
  }

  /** The marked regions of a file, each without its common indentation. */
  static List<String> regions(Path file) throws IOException {
    List<String> regions = new ArrayList<>();
    List<String> current = null;
    for (String line : Files.readAllLines(file)) {
      String trimmed = line.trim();
      if (trimmed.startsWith("// README:") || trimmed.startsWith("# README:")) {
        if (current != null) {
          regions.add(dedent(current));
          current = null;
        }
        if (!trimmed.endsWith("README:end")) {
          current = new ArrayList<>();
        }
      } else if (current != null) {
        current.add(line);
      }
    }
    return regions;
  }

  private static String dedent(List<String> lines) {
    int indent = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      text.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    return text.toString();
  }
}
