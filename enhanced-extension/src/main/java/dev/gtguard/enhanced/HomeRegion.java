package dev.gtguard.enhanced;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link Versioned} entity class: where each item's writes go. Name either the string
 * attribute that holds the item's home region, or a {@link HomeRegionResolver} that derives it from
 * the key, not both. Writes of an item then go to its home region's replica, so concurrent writes
 * from different regions meet one version check instead of racing in two replicas.
 *
 * <pre>{@code
 * @DynamoDbBean
 * @HomeRegion(attribute = "home_region")
 * public class Customer { ... }
 *
 * @DynamoDbBean
 * @HomeRegion(resolver = ByCustomerId.class) // public, with a public no-argument constructor
 * public class Order { ... }
 * }</pre>
 *
 * <p>Without it, every write goes to the local region. The regions come from the {@link
 * GlobalTablesExtension}'s {@code clients}. For a {@code StaticTableSchema}, add {@link
 * GlobalTableTags#homeRegion(String)} or {@link GlobalTableTags#homeRegion(HomeRegionResolver)} to
 * its table tags.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface HomeRegion {

  /** The string attribute that names the item's home region. */
  String attribute() default "";

  /** A resolver from key to home region; instantiated once per table. */
  Class<? extends HomeRegionResolver> resolver() default HomeRegionResolver.class;
}
