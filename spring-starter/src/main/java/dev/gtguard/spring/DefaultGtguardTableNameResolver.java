package dev.gtguard.spring;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;

/**
 * spring-cloud-aws's naming convention: the class's simple name, its words split by a separator
 * ({@code _} by default) and lower-cased, between a prefix and a suffix. {@code SubscriberAddress}
 * with prefix {@code prod-} becomes {@code prod-subscriber_address}. Set by {@code
 * gtguard.table-prefix}, {@code gtguard.table-suffix} and {@code gtguard.table-separator}.
 *
 * <pre>{@code
 * new DefaultGtguardTableNameResolver("prod-", "", "_").resolve(SubscriberAddress.class)
 * // "prod-subscriber_address"
 * }</pre>
 */
public final class DefaultGtguardTableNameResolver implements GtguardTableNameResolver {
  private final String prefix;
  private final String suffix;
  private final String separator;
  private final Map<Class<?>, String> names = new ConcurrentHashMap<>();

  /**
   * @param prefix prepended, or null for none
   * @param suffix appended, or null for none
   * @param separator between words, or null (or empty) for {@code _}
   */
  public DefaultGtguardTableNameResolver(String prefix, String suffix, String separator) {
    this.prefix = prefix == null ? "" : prefix;
    this.suffix = suffix == null ? "" : suffix;
    this.separator = separator == null || separator.isEmpty() ? "_" : separator;
  }

  @Override
  public String resolve(Class<?> entityType) {
    return names.computeIfAbsent(
        entityType,
        type ->
            prefix
                + type.getSimpleName()
                    .replaceAll("(.)(\\p{Lu})", "$1" + Matcher.quoteReplacement(separator) + "$2")
                    .toLowerCase(Locale.ROOT)
                + suffix);
  }
}
