package dev.gtguard.ledger;

import dev.gtguard.Changes;
import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.internal.ledger.DynamoJson;
import dev.gtguard.internal.ledger.DynamoJson.JsonNumber;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The lost-write report: one JSON object per line, a stable, versioned contract. Attribute values
 * are DynamoDB JSON, so binary, sets, numbers and NULL survive exactly, and a report can be
 * re-applied from the file ({@link #read}, then {@link dev.gtguard.VersionedTable#repair}).
 *
 * <pre>{@code
 * {"format":"gtguard.lost-write/2","source":"LEDGER","table":"subscribers",
 *  "key":{"pk":{"S":"sub#4711"}},"region":"eu-west-1","version":18,"token":"01J...",
 *  "surviving_version":18,"surviving_token":"01J...","superseded":false,
 *  "set":{"delivery_address":{"S":"221B Baker St"}},"remove":[],"repair":"DRY_RUN"}
 * }</pre>
 *
 * <p>{@code format} names the version; a reader refuses lines of a format it does not know. {@code
 * set} and {@code remove} are what is still worth re-applying (empty and {@code superseded} when
 * later writes rewrote it all); {@code surviving_*} is the state the loss was judged against, which
 * a repair is conditional on; {@code repair} is what the run did about it ({@link RepairOutcome}).
 */
public final class LostWriteReport {
  /** The format this version writes and reads. */
  public static final String FORMAT = "gtguard.lost-write/2";

  private LostWriteReport() {}

  /** One reported loss, and what the run that reported it did about it. */
  public record Line(LostWrite lost, RepairOutcome repair) {}

  /** Writes one line, flushed. */
  public static void write(Writer out, LostWrite lost, RepairOutcome repair) {
    StringBuilder line = new StringBuilder("{");
    field(line, "format", DynamoJson.string(FORMAT));
    field(line, "source", DynamoJson.string(lost.source().name()));
    field(line, "table", DynamoJson.string(lost.tableName()));
    field(line, "key", DynamoJson.item(lost.key().asMap()));
    field(line, "region", DynamoJson.string(lost.region()));
    field(line, "version", Long.toString(lost.version()));
    field(line, "token", DynamoJson.string(lost.writeToken()));
    field(line, "surviving_version", Long.toString(lost.survivingVersion()));
    if (lost.survivingToken() != null) {
      field(line, "surviving_token", DynamoJson.string(lost.survivingToken()));
    }
    field(line, "superseded", Boolean.toString(lost.superseded()));
    field(line, "set", DynamoJson.item(lost.changes().set()));
    field(
        line,
        "remove",
        lost.changes().remove().stream()
            .map(DynamoJson::string)
            .reduce((a, b) -> a + "," + b)
            .map(names -> "[" + names + "]")
            .orElse("[]"));
    field(line, "repair", DynamoJson.string(repair.name()));
    line.setCharAt(line.length() - 1, '}');
    try {
      out.write(line.append('\n').toString());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The lines of a report, read lazily; close the stream to close nothing but the reader's buffer
   * (the caller owns the reader).
   *
   * @throws IllegalArgumentException (when a line is consumed) for a line that is not JSON or of
   *     another format
   */
  public static Stream<Line> read(Reader in) {
    return new BufferedReader(in).lines().filter(l -> !l.isBlank()).map(LostWriteReport::parse);
  }

  @SuppressWarnings("unchecked")
  static Line parse(String text) {
    Map<String, Object> json = (Map<String, Object>) DynamoJson.parse(text);
    if (!FORMAT.equals(json.get("format"))) {
      throw new IllegalArgumentException(
          "not a " + FORMAT + " line (format " + json.get("format") + ")");
    }
    Changes.Builder changes = Changes.builder();
    DynamoJson.toItem(json.get("set")).forEach(changes::set);
    ((List<String>) json.get("remove")).forEach(changes::remove);
    LostWrite lost =
        new LostWrite(
            (String) json.get("table"),
            ItemKey.fromMap(DynamoJson.toItem(json.get("key"))),
            (String) json.get("region"),
            ((JsonNumber) json.get("version")).longValue(),
            (String) json.get("token"),
            ((JsonNumber) json.get("surviving_version")).longValue(),
            (String) json.get("surviving_token"),
            Map.of(),
            changes.build(),
            LostWrite.Source.valueOf((String) json.get("source")));
    return new Line(lost, RepairOutcome.valueOf((String) json.get("repair")));
  }

  private static void field(StringBuilder line, String name, String json) {
    line.append(DynamoJson.string(name)).append(':').append(json).append(',');
  }
}
