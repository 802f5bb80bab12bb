package dev.gtguard.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what DynamoDB Local's libraries log at INFO out of a consumer's test output, with no
 * configuration on their side, unless {@code -Dgtguard.testkit.verbose=true}. Applied before each
 * embedded server starts; never overrides a level the user has set:
 *
 * <ul>
 *   <li>Jetty logs through SLF4J. With slf4j-simple: the system property {@code
 *       org.slf4j.simpleLogger.log.org.eclipse.jetty=warn}, unless it (or one for {@code
 *       org.eclipse} or {@code org}) is set as a system property or in {@code
 *       simplelogger.properties}; slf4j-simple reads it when Jetty creates its loggers, so it works
 *       if set before the first server starts. With logback: level WARN on logger {@code
 *       org.eclipse.jetty}, if it has no level. With slf4j-jdk14: java.util.logging, below.
 *   <li>sqlite4java (and Jetty through slf4j-jdk14) log through java.util.logging: level WARNING on
 *       {@code com.almworks.sqlite4java} and {@code org.eclipse.jetty}, unless the logger has a
 *       level or the logging configuration names one; and the loggers are held, because
 *       java.util.logging references loggers weakly. (DynamoDB Local sets sqlite4java's level
 *       itself, without holding the logger: a garbage collection before sqlite4java loads loses it,
 *       and its INFO lines appear.)
 * </ul>
 *
 * Other SLF4J bindings (log4j 2, ...) are left alone: configure {@code org.eclipse.jetty} there.
 */
public final class QuietLogging {
  /** The system property that keeps everything as DynamoDB Local and its libraries set it. */
  public static final String VERBOSE = "gtguard.testkit.verbose";

  static final String SIMPLE_LOGGER_PREFIX = "org.slf4j.simpleLogger.log.";
  private static final String JETTY = "org.eclipse.jetty";

  private static final Set<Logger> HELD = ConcurrentHashMap.newKeySet();

  private QuietLogging() {}

  /** Whether the user asked to see everything. */
  public static boolean verbose() {
    return Boolean.getBoolean(VERBOSE);
  }

  /** Quiets Jetty and sqlite4java as described above; does nothing when {@link #verbose()}. */
  public static synchronized void apply() {
    if (verbose()) {
      return;
    }
    simpleLogger();
    julWarning("com.almworks.sqlite4java");
    julWarning(JETTY);
    logback();
  }

  private static void simpleLogger() {
    Properties file = simpleLoggerProperties();
    for (String logger : List.of(JETTY, "org.eclipse", "org")) {
      String key = SIMPLE_LOGGER_PREFIX + logger;
      if (System.getProperty(key) != null || file.getProperty(key) != null) {
        return; // the user's choice
      }
    }
    System.setProperty(SIMPLE_LOGGER_PREFIX + JETTY, "warn");
  }

  private static Properties simpleLoggerProperties() {
    Properties properties = new Properties();
    ClassLoader loader = QuietLogging.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream("simplelogger.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException | IllegalArgumentException e) {
      // Unreadable: slf4j-simple cannot read it either.
    }
    return properties;
  }

  private static void julWarning(String name) {
    Logger logger = Logger.getLogger(name);
    // java.util.logging references loggers weakly: the level of one nobody holds is lost at the
    // next GC. (DynamoDB Local sets sqlite4java's to WARNING itself, but without holding it.)
    HELD.add(logger);
    if (logger.getLevel() == null
        && LogManager.getLogManager().getProperty(name + ".level") == null) {
      logger.setLevel(Level.WARNING);
    }
  }

  /** Logback's logger {@code org.eclipse.jetty} at WARN if it has no level; by reflection. */
  private static void logback() {
    if (!present("ch.qos.logback.classic.LoggerContext")) {
      return; // and SLF4J is not initialised before Jetty does it
    }
    Object factory = LoggerFactory.getILoggerFactory();
    if (!factory.getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
      return;
    }
    try {
      Object logger =
          factory.getClass().getMethod("getLogger", String.class).invoke(factory, JETTY);
      if (logger.getClass().getMethod("getLevel").invoke(logger) == null) {
        Class<?> level = Class.forName("ch.qos.logback.classic.Level", true, loaderOf(logger));
        Method setLevel = logger.getClass().getMethod("setLevel", level);
        setLevel.invoke(logger, level.getField("WARN").get(null));
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Another logback than expected: leave its configuration as it is.
    }
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, QuietLogging.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static ClassLoader loaderOf(Object object) {
    ClassLoader loader = object.getClass().getClassLoader();
    return loader != null ? loader : ClassLoader.getSystemClassLoader();
  }
}
