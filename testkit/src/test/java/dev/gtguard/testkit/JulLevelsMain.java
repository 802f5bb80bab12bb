package dev.gtguard.testkit;

import dev.gtguard.testkit.internal.QuietLogging;
import java.util.logging.Logger;

/**
 * Run in a fresh child JVM by {@link QuietByDefaultTest}: quiets logging as every server start
 * does, collects garbage, and prints the java.util.logging levels that are left. DynamoDB Local
 * sets sqlite4java's level too, but holds no reference to the logger, so a collection at the wrong
 * moment loses it and sqlite4java's INFO lines appear.
 */
public final class JulLevelsMain {
  private JulLevelsMain() {}

  public static void main(String[] args) {
    QuietLogging.apply();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    System.out.println("sqlite4java=" + Logger.getLogger("com.almworks.sqlite4java").getLevel());
    System.out.println("jetty=" + Logger.getLogger("org.eclipse.jetty").getLevel());
  }
}
