package dev.gtguard.internal.ledger;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * JSON in and out, with attribute values in DynamoDB JSON ({@code {"S":"x"}}, {@code {"N":"1.50"}},
 * {@code {"B":"<base64>"}}, {@code {"SS":[...]}}, {@code {"NULL":true}}, ...), so that every type
 * survives a round trip exactly. The SDK's own JSON parser is not public API; this one reads the
 * JSON this library writes, and any standard JSON.
 */
public final class DynamoJson {
  private DynamoJson() {}

  /** DynamoDB JSON of one value. */
  public static String value(AttributeValue v) {
    StringBuilder out = new StringBuilder();
    writeValue(v, out);
    return out.toString();
  }

  /** DynamoDB JSON of an item: an object of attribute values. */
  public static String item(Map<String, AttributeValue> item) {
    StringBuilder out = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      out.append(first ? "" : ",");
      string(e.getKey(), out);
      out.append(':');
      writeValue(e.getValue(), out);
      first = false;
    }
    return out.append('}').toString();
  }

  /** A JSON string literal. */
  public static String string(String s) {
    StringBuilder out = new StringBuilder();
    string(s, out);
    return out.toString();
  }

  /** The attribute value a parsed DynamoDB JSON object stands for. */
  @SuppressWarnings("unchecked")
  public static AttributeValue toValue(Object json) {
    Map<String, Object> typed = (Map<String, Object>) json;
    if (typed.size() != 1) {
      throw new IllegalArgumentException("not a DynamoDB JSON value: " + typed.keySet());
    }
    Map.Entry<String, Object> e = typed.entrySet().iterator().next();
    Object v = e.getValue();
    return switch (e.getKey()) {
      case "S" -> AttributeValue.fromS((String) v);
      case "N" -> AttributeValue.fromN((String) v);
      case "B" ->
          AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode((String) v)));
      case "BOOL" -> AttributeValue.fromBool((Boolean) v);
      case "NULL" -> AttributeValue.fromNul(true);
      case "SS" -> AttributeValue.fromSs((List<String>) v);
      case "NS" -> AttributeValue.fromNs((List<String>) v);
      case "BS" ->
          AttributeValue.fromBs(
              ((List<String>) v)
                  .stream()
                      .map(b -> SdkBytes.fromByteArray(Base64.getDecoder().decode(b)))
                      .toList());
      case "L" ->
          AttributeValue.fromL(((List<Object>) v).stream().map(DynamoJson::toValue).toList());
      case "M" -> AttributeValue.fromM(toItem(v));
      default -> throw new IllegalArgumentException("unknown DynamoDB JSON type " + e.getKey());
    };
  }

  /** The item a parsed DynamoDB JSON object stands for. */
  @SuppressWarnings("unchecked")
  public static Map<String, AttributeValue> toItem(Object json) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    ((Map<String, Object>) json).forEach((name, value) -> item.put(name, toValue(value)));
    return item;
  }

  /**
   * Parses JSON into maps (objects, in order), lists, strings, booleans, {@code null}, and numbers
   * kept as their text (as {@link String}s wrapped in {@link JsonNumber}).
   *
   * @throws IllegalArgumentException if the text is not JSON
   */
  public static Object parse(String json) {
    Parser parser = new Parser(json);
    Object value = parser.value();
    parser.skipSpace();
    if (parser.at < json.length()) {
      throw parser.error("trailing characters");
    }
    return value;
  }

  /** A JSON number, as written. */
  public record JsonNumber(String text) {
    public long longValue() {
      return Long.parseLong(text);
    }
  }

  private static void writeValue(AttributeValue v, StringBuilder out) {
    out.append('{');
    switch (v.type()) {
      case S -> typed("S", out).append(string(v.s()));
      case N -> typed("N", out).append(string(v.n()));
      case B -> typed("B", out).append(string(base64(v.b())));
      case BOOL -> typed("BOOL", out).append(v.bool());
      case NUL -> typed("NULL", out).append("true");
      case SS -> strings(typed("SS", out), v.ss());
      case NS -> strings(typed("NS", out), v.ns());
      case BS -> strings(typed("BS", out), v.bs().stream().map(DynamoJson::base64).toList());
      case L -> {
        typed("L", out).append('[');
        for (int i = 0; i < v.l().size(); i++) {
          out.append(i == 0 ? "" : ",");
          writeValue(v.l().get(i), out);
        }
        out.append(']');
      }
      case M -> typed("M", out).append(item(v.m()));
      case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("unknown type");
    }
    out.append('}');
  }

  private static StringBuilder typed(String type, StringBuilder out) {
    return out.append('"').append(type).append("\":");
  }

  private static void strings(StringBuilder out, List<String> values) {
    out.append('[');
    for (int i = 0; i < values.size(); i++) {
      out.append(i == 0 ? "" : ",");
      string(values.get(i), out);
    }
    out.append(']');
  }

  private static String base64(SdkBytes bytes) {
    return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static final class Parser {
    final String s;
    int at;

    Parser(String s) {
      this.s = s;
    }

    Object value() {
      skipSpace();
      if (at >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(at);
      return switch (c) {
        case '{' -> object();
        case '[' -> array();
        case '"' -> string();
        case 't' -> literal("true", Boolean.TRUE);
        case 'f' -> literal("false", Boolean.FALSE);
        case 'n' -> literal("null", null);
        default -> number();
      };
    }

    Map<String, Object> object() {
      Map<String, Object> map = new LinkedHashMap<>();
      at++;
      skipSpace();
      if (peek() == '}') {
        at++;
        return map;
      }
      while (true) {
        skipSpace();
        String name = string();
        skipSpace();
        expect(':');
        map.put(name, value());
        skipSpace();
        if (peek() == ',') {
          at++;
        } else {
          expect('}');
          return map;
        }
      }
    }

    List<Object> array() {
      List<Object> list = new ArrayList<>();
      at++;
      skipSpace();
      if (peek() == ']') {
        at++;
        return list;
      }
      while (true) {
        list.add(value());
        skipSpace();
        if (peek() == ',') {
          at++;
        } else {
          expect(']');
          return list;
        }
      }
    }

    String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        if (at >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(at++);
        if (c == '"') {
          return out.toString();
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = s.charAt(at++);
        switch (e) {
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'u' -> {
            out.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
            at += 4;
          }
          default -> out.append(e);
        }
      }
    }

    JsonNumber number() {
      int start = at;
      while (at < s.length() && "+-0123456789.eE".indexOf(s.charAt(at)) >= 0) {
        at++;
      }
      if (start == at) {
        throw error("unexpected character");
      }
      return new JsonNumber(s.substring(start, at));
    }

    Object literal(String word, Object value) {
      if (!s.startsWith(word, at)) {
        throw error("unexpected character");
      }
      at += word.length();
      return value;
    }

    void expect(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      at++;
    }

    char peek() {
      return at < s.length() ? s.charAt(at) : '\0';
    }

    void skipSpace() {
      while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
        at++;
      }
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException(what + " at character " + at + " of the JSON line");
    }
  }
}
