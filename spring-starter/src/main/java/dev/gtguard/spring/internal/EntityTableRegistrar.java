package dev.gtguard.spring.internal;

import dev.gtguard.enhanced.Versioned;
import dev.gtguard.enhanced.VersionedEntityTable;
import dev.gtguard.spring.GtguardTables;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;

/**
 * Registers a {@code VersionedEntityTable<T>} bean for every {@code @Versioned} entity class
 * ({@code @DynamoDbBean} classes with a {@code @Versioned} getter) in {@code
 * gtguard.entity-packages}, or in the application's auto-configuration packages when that is not
 * set. Each bean is {@code GtguardTables.table(T.class)}, named {@code <entity>Table} ({@code
 * subscriberTable}); none is registered for a class that already has a {@code
 * VersionedEntityTable<T>} bean.
 */
public final class EntityTableRegistrar
    implements ImportBeanDefinitionRegistrar,
        EnvironmentAware,
        BeanFactoryAware,
        ResourceLoaderAware {
  static final String PACKAGES = "gtguard.entity-packages";

  private Environment environment;
  private BeanFactory beanFactory;
  private ResourceLoader resourceLoader;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public void setResourceLoader(ResourceLoader resourceLoader) {
    this.resourceLoader = resourceLoader;
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    for (Class<?> type : entityClasses(packages())) {
      ResolvableType tableType =
          ResolvableType.forClassWithGenerics(VersionedEntityTable.class, type);
      if (registry instanceof ListableBeanFactory beans
          && beans.getBeanNamesForType(tableType, true, false).length > 0) {
        continue;
      }
      RootBeanDefinition definition = new RootBeanDefinition(VersionedEntityTable.class);
      definition.setTargetType(tableType);
      definition.setInstanceSupplier(() -> beanFactory.getBean(GtguardTables.class).table(type));
      definition.setRole(BeanDefinition.ROLE_APPLICATION);
      registry.registerBeanDefinition(beanName(type, registry), definition);
    }
  }

  private List<String> packages() {
    List<String> configured =
        Binder.get(environment).bind(PACKAGES, Bindable.listOf(String.class)).orElse(List.of());
    if (!configured.isEmpty()) {
      return configured;
    }
    return AutoConfigurationPackages.has(beanFactory)
        ? AutoConfigurationPackages.get(beanFactory)
        : List.of();
  }

  private Set<Class<?>> entityClasses(List<String> packages) {
    ClassPathScanningCandidateComponentProvider scanner =
        new ClassPathScanningCandidateComponentProvider(false, environment);
    scanner.setResourceLoader(resourceLoader);
    scanner.addIncludeFilter(new AnnotationTypeFilter(DynamoDbBean.class));
    Set<Class<?>> types = new LinkedHashSet<>();
    for (String basePackage : packages) {
      for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
        Class<?> type =
            ClassUtils.resolveClassName(
                candidate.getBeanClassName(), resourceLoader.getClassLoader());
        if (isVersioned(type)) {
          types.add(type);
        }
      }
    }
    return types;
  }

  /** Whether a public getter, declared or inherited, is {@code @Versioned}. */
  static boolean isVersioned(Class<?> type) {
    return Arrays.stream(type.getMethods()).anyMatch(m -> m.isAnnotationPresent(Versioned.class));
  }

  private static String beanName(Class<?> type, BeanDefinitionRegistry registry) {
    String name = StringUtils.uncapitalize(type.getSimpleName()) + "Table";
    return registry.containsBeanDefinition(name) ? type.getName() + ".table" : name;
  }
}
