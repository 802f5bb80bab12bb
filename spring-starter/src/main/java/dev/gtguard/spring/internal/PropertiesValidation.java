package dev.gtguard.spring.internal;

import dev.gtguard.spring.autoconfigure.GtguardProperties;
import dev.gtguard.spring.autoconfigure.GtguardProperties.RegionProperties;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.validation.Errors;

/**
 * The checks of {@link GtguardProperties} that binding cannot do. Each message names the property
 * as it is written in {@code application.yml}, so that it reads the same in the startup failure.
 */
public final class PropertiesValidation {
  private PropertiesValidation() {}

  /** Rejects every setting that is out of range or contradicts another one. */
  public static void validate(GtguardProperties properties, Errors errors) {
    List<RegionProperties> regions = properties.getRegions();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < regions.size(); i++) {
      RegionProperties region = regions.get(i);
      String path = "regions[" + i + "]";
      if (region.getName() == null || region.getName().isBlank()) {
        reject(errors, path + ".name", "is required");
        continue;
      }
      Integer first = seen.putIfAbsent(region.getName(), i);
      if (first != null) {
        reject(
            errors,
            path + ".name",
            "'"
                + region.getName()
                + "' is configured twice (also gtguard.regions["
                + first
                + "].name)");
      }
      endpoint(errors, path + ".endpoint", region.getEndpoint());
      endpoint(errors, path + ".streamsEndpoint", region.getStreamsEndpoint());
    }
    String local = properties.getLocalRegion();
    if (local != null && local.isBlank()) {
      reject(errors, "localRegion", "must not be blank; leave it out to use the SDK's region");
    } else if (local != null && !regions.isEmpty() && !seen.containsKey(local)) {
      reject(
          errors,
          "localRegion",
          "'"
              + local
              + "' is not one of gtguard.regions "
              + seen.keySet().stream().sorted().toList());
    }
    GtguardProperties.Retry retry = properties.getRetry();
    if (retry.getMaxAttempts() < 1) {
      reject(errors, "retry.maxAttempts", "must be at least 1, was " + retry.getMaxAttempts());
    }
    if (retry.getImmediateRetries() < 0) {
      reject(
          errors,
          "retry.immediateRetries",
          "must not be negative, was " + retry.getImmediateRetries());
    }
    boolean delays =
        nonNegative(errors, "retry.baseDelay", retry.getBaseDelay())
            & nonNegative(errors, "retry.maxDelay", retry.getMaxDelay());
    if (delays && retry.getBaseDelay().compareTo(retry.getMaxDelay()) > 0) {
      reject(
          errors,
          "retry.baseDelay",
          retry.getBaseDelay() + " must not exceed gtguard.retry.max-delay " + retry.getMaxDelay());
    }
    positive(errors, "ledger.retention", properties.getLedger().getRetention(), true);
    positive(
        errors,
        "detection.stream.pollInterval",
        properties.getDetection().getStream().getPollInterval(),
        false);
    positive(errors, "health.timeout", properties.getHealth().getTimeout(), false);
  }

  private static void endpoint(Errors errors, String field, URI endpoint) {
    if (endpoint != null
        && (!endpoint.isAbsolute()
            || endpoint.getHost() == null
            || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https")))) {
      reject(errors, field, "'" + endpoint + "' is not an http(s) URL with a host");
    }
  }

  private static boolean nonNegative(Errors errors, String field, Duration value) {
    if (value == null || value.isNegative()) {
      reject(errors, field, "must not be negative, was " + value);
      return false;
    }
    return true;
  }

  private static void positive(Errors errors, String field, Duration value, boolean optional) {
    if (value == null ? !optional : value.isNegative() || value.isZero()) {
      reject(errors, field, "must be positive, was " + value);
    }
  }

  private static void reject(Errors errors, String field, String message) {
    errors.rejectValue(field, "gtguard.invalid", "gtguard." + kebab(field) + " " + message);
  }

  /** {@code retry.maxAttempts} as {@code retry.max-attempts}. */
  static String kebab(String field) {
    StringBuilder out = new StringBuilder();
    for (char c : field.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
