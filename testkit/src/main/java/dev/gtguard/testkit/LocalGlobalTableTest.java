package dev.gtguard.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a running {@link LocalGlobalTable}: test methods, constructors and lifecycle
 * methods may take it as a parameter. One is started per test class and closed after it, or with
 * {@link #shared() shared = true} the JVM-wide {@link LocalGlobalTable#shared(String...)} instance
 * for these regions is used and left running; before each test its controls are {@linkplain
 * LocalGlobalTable#reset() reset} and its lag set to this annotation's. Create a table per test.
 *
 * <pre>{@code
 * @LocalGlobalTableTest(regions = {"eu-west-1", "us-east-1"}, lagMillis = 200)
 * class LondonTest {
 *   @Test
 *   void lastWriterWins(LocalGlobalTable global) {
 *     String table = global.createTable("subscribers", "pk");
 *     ...
 *     global.awaitQuiescence(Duration.ofSeconds(10));
 *   }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(LocalGlobalTableExtension.class)
public @interface LocalGlobalTableTest {

  /** The simulated regions. */
  String[] regions() default {"eu-west-1", "us-east-1", "ap-southeast-1"};

  /** Fixed replication lag of every region pair, in milliseconds. */
  long lagMillis() default 0;

  /** Random extra lag, uniform in {@code [0, jitterMillis]}. */
  long jitterMillis() default 0;

  /**
   * Use the JVM-wide {@link LocalGlobalTable#shared(String...)} instance for {@link #regions()},
   * started once for every test class (and Spring context) that asks for it, instead of starting
   * one for this class. Test classes sharing it must not run in parallel if they use its controls.
   */
  boolean shared() default false;
}
