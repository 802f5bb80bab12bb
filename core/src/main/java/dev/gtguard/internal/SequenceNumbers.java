package dev.gtguard.internal;

import java.math.BigInteger;
import java.util.Objects;

/**
 * DynamoDB Streams sequence numbers: decimal digit strings of up to 40 digits that grow within a
 * shard. They are ordered as numbers, not as strings ({@code "99" < "100"}), and they do not fit a
 * DynamoDB number (38 digits), so a store that compares them keeps a fixed-width form.
 */
public final class SequenceNumbers {
  /** The longest sequence number the Streams API documents. */
  public static final int MAX_DIGITS = 40;

  private SequenceNumbers() {}

  /**
   * @throws NullPointerException if {@code sequenceNumber} is null
   * @throws IllegalArgumentException if it is not 1 to 40 decimal digits
   */
  public static String requireValid(String sequenceNumber) {
    Objects.requireNonNull(sequenceNumber, "sequenceNumber");
    if (sequenceNumber.isEmpty() || sequenceNumber.length() > MAX_DIGITS) {
      throw new IllegalArgumentException(
          "a sequence number has 1 to " + MAX_DIGITS + " digits, was " + sequenceNumber);
    }
    for (int i = 0; i < sequenceNumber.length(); i++) {
      char c = sequenceNumber.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException(
            "a sequence number is decimal digits, was " + sequenceNumber);
      }
    }
    return sequenceNumber;
  }

  /** Compares two valid sequence numbers as numbers. */
  public static int compare(String a, String b) {
    return new BigInteger(requireValid(a)).compareTo(new BigInteger(requireValid(b)));
  }

  /**
   * The sequence number left-padded with zeros to {@value #MAX_DIGITS} digits, so that comparing
   * two such strings (as a DynamoDB condition does) compares the numbers.
   */
  public static String sortable(String sequenceNumber) {
    String digits = requireValid(sequenceNumber);
    return "0".repeat(MAX_DIGITS - digits.length()) + digits;
  }
}
