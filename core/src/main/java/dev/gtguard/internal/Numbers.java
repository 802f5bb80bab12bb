package dev.gtguard.internal;

import java.math.BigDecimal;

/**
 * DynamoDB's number rules, checked on the string before anything parses it into a form whose size
 * depends on the exponent: at most 38 significant digits, magnitude between 1E-130 and
 * 9.99...E+125, or zero. {@code 1E+999999999} is refused here instead of being expanded into a
 * billion-digit string; {@code NaN} and other garbage are refused instead of throwing {@link
 * NumberFormatException} somewhere deeper.
 */
public final class Numbers {
  /** DynamoDB's precision limit. */
  public static final int MAX_DIGITS = 38;

  /** Decimal exponent of the largest magnitude (9.99...E+125). */
  public static final int MAX_EXPONENT = 125;

  /** Decimal exponent of the smallest non-zero magnitude (1E-130). */
  public static final int MIN_EXPONENT = -130;

  /**
   * Longer than any number DynamoDB stores: 38 digits spread over the whole exponent range plus
   * sign, point and exponent fit easily. Keeps parsing cost bounded.
   */
  private static final int MAX_LENGTH = 1024;

  private Numbers() {}

  /** Why {@code n} is not a number DynamoDB stores, or {@code null} if it is one. */
  public static String problem(String n) {
    if (n == null || n.isEmpty()) {
      return "a number must not be empty";
    }
    if (n.length() > MAX_LENGTH) {
      return "a number of " + n.length() + " characters is longer than any DynamoDB stores";
    }
    if (isShortInteger(n)) {
      return null; // at most 38 digits, no exponent: in range whatever its value
    }
    BigDecimal value;
    try {
      value = new BigDecimal(n.trim());
    } catch (NumberFormatException e) {
      return "not a number";
    }
    if (value.signum() == 0) {
      return null;
    }
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.precision() > MAX_DIGITS) {
      return "a number of "
          + stripped.precision()
          + " significant digits; DynamoDB keeps at most "
          + MAX_DIGITS;
    }
    long exponent = (long) stripped.precision() - stripped.scale() - 1;
    if (exponent > MAX_EXPONENT || exponent < MIN_EXPONENT) {
      return "a number outside DynamoDB's range (magnitudes from 1E-130 to 9.99...E+125)";
    }
    return null;
  }

  /** An optional minus sign and 1 to {@value #MAX_DIGITS} decimal digits, nothing else. */
  private static boolean isShortInteger(String n) {
    int start = n.charAt(0) == '-' ? 1 : 0;
    int digits = n.length() - start;
    if (digits < 1 || digits > MAX_DIGITS) {
      return false;
    }
    for (int i = start; i < n.length(); i++) {
      char c = n.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * The canonical form of a number DynamoDB stores, as it compares them ({@code 1.50} and {@code
   * 1.5} are one number). Only for numbers {@link #problem} accepts: their plain form is bounded.
   */
  public static String canonical(String n) {
    BigDecimal value = new BigDecimal(n.trim());
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }
}
