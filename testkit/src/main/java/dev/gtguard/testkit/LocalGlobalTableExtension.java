package dev.gtguard.testkit;

import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension behind {@link LocalGlobalTableTest}: one {@link LocalGlobalTable} per test
 * class, closed after the class, or the JVM-wide {@linkplain LocalGlobalTable#shared(String...)
 * shared} one when the annotation says {@code shared = true}; reset to the annotation's lag before
 * each test.
 *
 * <pre>{@code
 * @ExtendWith(LocalGlobalTableExtension.class)
 * class MyTest { @Test void t(LocalGlobalTable global) { ... } }
 * }</pre>
 */
public final class LocalGlobalTableExtension implements ParameterResolver, BeforeEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LocalGlobalTableExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalGlobalTable.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return global(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    LocalGlobalTable global = global(context);
    global.reset();
    global.lag(lag(config(context.getRequiredTestClass())));
  }

  private static LocalGlobalTable global(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    ExtensionContext classContext = context;
    while (classContext.getParent().isPresent() && classContext.getTestMethod().isPresent()) {
      classContext = classContext.getParent().get();
    }
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(testClass, k -> new Closing(start(testClass)), Closing.class)
        .global;
  }

  private static LocalGlobalTable start(Class<?> testClass) {
    LocalGlobalTableTest config = config(testClass);
    if (config.shared()) {
      return LocalGlobalTable.shared(config.regions()); // its close() does nothing
    }
    return LocalGlobalTable.builder().regions(config.regions()).lag(lag(config)).start();
  }

  private static LocalGlobalTableTest config(Class<?> testClass) {
    return AnnotationSupport.findAnnotation(testClass, LocalGlobalTableTest.class)
        .orElseThrow(
            () -> new IllegalStateException(testClass + " is not annotated @LocalGlobalTableTest"));
  }

  private static Lag lag(LocalGlobalTableTest config) {
    return Lag.of(Duration.ofMillis(config.lagMillis()), Duration.ofMillis(config.jitterMillis()));
  }

  private record Closing(LocalGlobalTable global) implements AutoCloseable {
    @Override
    public void close() {
      global.close();
    }
  }
}
