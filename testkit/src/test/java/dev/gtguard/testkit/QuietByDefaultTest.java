package dev.gtguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A consumer's tests see nothing of DynamoDB Local, Jetty or sqlite4java unless they ask: checked
 * in a child JVM on this module's test class path (slf4j-simple at its default level INFO, the
 * JDK's default java.util.logging), with no logging configuration at all.
 */
class QuietByDefaultTest {
  private static final String BANNER = "Initializing DynamoDB Local";

  @Test
  void noBanner_noJettyInfo_noSqliteInfo_byDefault() throws Exception {
    String output = runQuietMain();

    assertThat(output).contains(QuietMain.DONE);
    assertThat(output).doesNotContain(BANNER);
    assertThat(jettyInfo(output)).as(output).isEmpty();
    assertThat(sqliteInfo(output)).as(output).isEmpty();
  }

  @Test
  void verbose_optOut_showsWhatDynamoDbLocalAndJettySay() throws Exception {
    String output = runQuietMain("-Dgtguard.testkit.verbose=true");

    assertThat(output).contains(QuietMain.DONE);
    assertThat(output).contains(BANNER);
    assertThat(jettyInfo(output)).as(output).isNotEmpty();
  }

  @Test
  void userSettingForJetty_isKept() throws Exception {
    String output = runQuietMain("-Dorg.slf4j.simpleLogger.log.org.eclipse.jetty=info");

    assertThat(output).contains(QuietMain.DONE).doesNotContain(BANNER);
    assertThat(jettyInfo(output)).as(output).isNotEmpty();
  }

  @Test
  void javaUtilLoggingLevels_surviveGarbageCollection() throws Exception {
    String output = run(JulLevelsMain.class);

    assertThat(output).contains("sqlite4java=WARNING").contains("jetty=WARNING");
  }

  /** slf4j-simple's lines: {@code [thread] INFO org.eclipse.jetty.server.Server - Started ...}. */
  private static List<String> jettyInfo(String output) {
    return output.lines().filter(l -> l.matches(".*\\bINFO\\b.*org\\.eclipse\\.jetty.*")).toList();
  }

  /** java.util.logging's two-line records: a source line naming the logger, then the level. */
  private static List<String> sqliteInfo(String output) {
    List<String> lines = output.lines().toList();
    List<String> info = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      boolean sqlite = line.contains("sqlite4java") || line.contains("[sqlite]");
      boolean nextIsInfo = i + 1 < lines.size() && lines.get(i + 1).startsWith("INFO:");
      if (sqlite && (nextIsInfo || line.contains("INFO"))) {
        info.add(line);
      }
    }
    return info;
  }

  private static String runQuietMain(String... jvmOptions)
      throws IOException, InterruptedException {
    return run(QuietMain.class, jvmOptions);
  }

  private static String run(Class<?> main, String... jvmOptions)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.add("-cp");
    // Surefire runs tests through a manifest-only jar; its class path is given separately.
    command.add(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(main.getName());
    Path output = Files.createTempFile("quiet-main", ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      boolean exited = process.waitFor(120, TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly().waitFor();
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(exited).as("child exited: " + text).isTrue();
      assertThat(process.exitValue()).as(text).isZero();
      return text;
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
