package dev.gtguard.samples.entity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gtguard.RegionClients;
import dev.gtguard.testkit.LocalGlobalTable;
import dev.gtguard.testkit.LocalGlobalTableTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's entity example is compiled code: each {@code // README:name} ... {@code //
 * README:end} region of the sample sources appears in the README verbatim, and the example runs.
 */
@LocalGlobalTableTest
public class ReadmeSnippetsTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/gtguard/samples/entity");

  @Test
  void everyMarkedRegion_appearsInTheReadmeVerbatim() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    List<String> snippets = new ArrayList<>();
    snippets.addAll(regions(SOURCES.resolve("Subscriber.java")));
    snippets.addAll(regions(SOURCES.resolve("SubscriberSetup.java")));

    assertThat(snippets).hasSize(3);
    for (String snippet : snippets) {
      assertThat(readme).as("README holds the compiled snippet").contains(snippet);
    }
  }

  @Test
  void theExample_createsThenSavesAtTheHeldVersion(LocalGlobalTable global) {
    String table = global.createTable("subscribers", "id");
    RegionClients regions =
        RegionClients.builder()
            .local(global.client("us-east-1"))
            .remote(global.client("eu-west-1"))
            .build();

    Subscriber saved = SubscriberSetup.example(regions, table);

    assertThat(saved.getEmail()).isEqualTo("ada@example.org");
    assertThat(saved.getVersion()).isEqualTo(2L);
  }

  /** The marked regions of a source file, each without its common indentation. */
  public static List<String> regions(Path file) throws IOException {
    List<String> regions = new ArrayList<>();
    List<String> current = null;
    for (String line : Files.readAllLines(file)) {
      String trimmed = line.trim();
      if (trimmed.startsWith("// README:")) {
        if (current != null) {
          regions.add(dedent(current));
          current = null;
        }
        if (!trimmed.equals("// README:end")) {
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
