package dev.gtguard.internal.ledger;

import dev.gtguard.internal.Numbers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * HMAC-SHA256 of ledger entries, over a canonical encoding that survives DynamoDB's round trip
 * (numbers compared by value, sets without order, maps by sorted key), so an entry read back
 * verifies exactly when nobody changed it.
 */
public final class LedgerIntegrity {
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  public LedgerIntegrity(byte[] key) {
    this.key = new SecretKeySpec(key.clone(), ALGORITHM);
  }

  /** The MAC of {@code entry} without its {@code excluded} attributes (the MAC, the expiry). */
  public byte[] mac(Map<String, AttributeValue> entry, List<String> excluded) {
    Map<String, AttributeValue> signed = new TreeMap<>(entry);
    excluded.forEach(signed::remove);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    encode(AttributeValue.fromM(signed), bytes);
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(bytes.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java runtime", e);
    }
  }

  /** Whether {@code entry}'s MAC, in {@code macAttribute}, is the MAC of the rest of it. */
  public boolean verifies(
      Map<String, AttributeValue> entry, String macAttribute, List<String> excluded) {
    AttributeValue stored = entry.get(macAttribute);
    if (stored == null || stored.b() == null) {
      return false;
    }
    return MessageDigest.isEqual(stored.b().asByteArrayUnsafe(), mac(entry, excluded));
  }

  private static void encode(AttributeValue v, ByteArrayOutputStream out) {
    switch (v.type()) {
      case S -> text('S', v.s(), out);
      case N -> text('N', Numbers.canonical(v.n()), out);
      case B -> bytes('B', v.b().asByteArrayUnsafe(), out);
      case BOOL -> out.write(v.bool() ? 'T' : 'F');
      case NUL -> out.write('0');
      case SS -> sorted('s', v.ss().stream().toList(), out);
      case NS -> sorted('n', v.ns().stream().map(Numbers::canonical).toList(), out);
      case BS ->
          sorted(
              'b',
              v.bs().stream()
                  .map(SdkBytes::asByteArrayUnsafe)
                  .map(b -> java.util.Base64.getEncoder().encodeToString(b))
                  .toList(),
              out);
      case L -> {
        count('L', v.l().size(), out);
        v.l().forEach(e -> encode(e, out));
      }
      case M -> {
        count('M', v.m().size(), out);
        new TreeMap<>(v.m())
            .forEach(
                (name, value) -> {
                  text('k', name, out);
                  encode(value, out);
                });
      }
      case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("unknown type");
    }
  }

  private static void sorted(char tag, List<String> values, ByteArrayOutputStream out) {
    List<String> copy = values.stream().sorted().toList();
    count(tag, copy.size(), out);
    copy.forEach(value -> text('e', value, out));
  }

  private static void text(char tag, String value, ByteArrayOutputStream out) {
    bytes(tag, value.getBytes(StandardCharsets.UTF_8), out);
  }

  private static void bytes(char tag, byte[] value, ByteArrayOutputStream out) {
    count(tag, value.length, out);
    out.writeBytes(value);
  }

  private static void count(char tag, int n, ByteArrayOutputStream out) {
    out.write(tag);
    out.write(n >>> 24);
    out.write(n >>> 16);
    out.write(n >>> 8);
    out.write(n);
  }
}
