package dev.gtguard.internal;

import java.util.Objects;

/** Builder argument checks shared by every builder of the library. */
public final class Arguments {
  private Arguments() {}

  /**
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if it is blank
   */
  public static String nonBlank(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }

  /**
   * An attribute name: not blank, and not under the {@code aws:rep:} prefix Global Tables reserve.
   *
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if it is blank or reserved
   */
  public static String attributeName(String value, String what) {
    nonBlank(value, what);
    if (value.startsWith(InputRules.RESERVED_PREFIX)) {
      throw new IllegalArgumentException(
          what + " must not start with the reserved prefix " + InputRules.RESERVED_PREFIX);
    }
    return value;
  }
}
