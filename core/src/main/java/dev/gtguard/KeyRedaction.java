package dev.gtguard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * How item keys appear wherever the library renders them for people: log lines, exception messages,
 * the {@code toString} of events and keys. Item values other than keys never appear there, whatever
 * this setting. Keys themselves stay available to code ({@link
 * dev.gtguard.exception.GlobalTablesException#key()}, events' {@code key()}).
 *
 * <p>Process-wide, set once at start-up, or with the system property {@value #PROPERTY} ({@code
 * none}, {@code hashed} or {@code dropped}):
 *
 * <pre>{@code
 * KeyRedaction.use(KeyRedaction.HASHED);   // {pk=#3f9a1c07d2e4}: the same key, the same hash
 * }</pre>
 */
public enum KeyRedaction {
  /** Keys as DynamoDB's console shows them: {@code {pk=subscriber#4711}}. The default. */
  NONE,
  /**
   * Each key value replaced by the first 12 hex digits of its SHA-256: log lines about one item
   * still correlate, the value is not shown. (A hash of a guessable value can be guessed back; use
   * {@link #DROPPED} for values from a small set.)
   */
  HASHED,
  /** Each key value replaced by {@code <redacted>}. */
  DROPPED;

  /** The system property read at start-up. */
  public static final String PROPERTY = "gtguard.keyRedaction";

  private static volatile KeyRedaction current = fromProperty();

  /** Sets how keys are rendered from now on, in this process. */
  public static void use(KeyRedaction redaction) {
    current = Objects.requireNonNull(redaction, "redaction");
  }

  /** How keys are rendered now. */
  public static KeyRedaction current() {
    return current;
  }

  /** One key value as this setting renders it; {@code plain} is the value as text. */
  String render(String plain) {
    return switch (this) {
      case NONE -> plain;
      case DROPPED -> "<redacted>";
      case HASHED -> "#" + HexFormat.of().formatHex(sha256(plain), 0, 6);
    };
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }

  private static KeyRedaction fromProperty() {
    String value = System.getProperty(PROPERTY);
    if (value == null || value.isBlank()) {
      return NONE;
    }
    return valueOf(value.trim().toUpperCase(Locale.ROOT));
  }
}
