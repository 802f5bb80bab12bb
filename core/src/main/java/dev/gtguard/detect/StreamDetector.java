package dev.gtguard.detect;

import dev.gtguard.ItemKey;
import dev.gtguard.LostWrite;
import dev.gtguard.TableDescription;
import dev.gtguard.internal.Arguments;
import dev.gtguard.internal.InputRules;
import dev.gtguard.internal.ItemCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * Finds lost writes in the DynamoDB Stream records of one replica of a versioned Global Table. A
 * pure function over records, apart from remembering which losses it has already reported.
 *
 * <pre>{@code
 * StreamDetector detector = StreamDetector.builder()
 *     .table(subscribers.description())  // or TableDescription.of("subscribers", "pk")
 *     .region("eu-west-1")               // the replica whose stream this is
 *     .build();
 *
 * List<LostWrite> lost = detector.detect(getRecordsResponse.records());
 * }</pre>
 *
 * <p><b>The rule, and why.</b> Every versioned write stores the next version and a fresh, unique
 * write token, so within one replica an item's versions only ever go up, each state with its own
 * token. Global Tables settle concurrent writes from two regions by last writer wins, per item:
 * when a replicated write loses, it is dropped; when it wins, it replaces the replica's current
 * state wholesale, and that replacement appears in the replica's stream as a {@code MODIFY}. So a
 * {@code MODIFY} whose new image has a <em>lower</em> version than its old image, or the
 * <em>same</em> version with a <em>different</em> token, can only be replication replacing an
 * acknowledged write that was made concurrently elsewhere: the old image's write (its version and
 * token) lost in this replica. A normal write always raises the version, and an identical image
 * changes nothing, so neither is ever reported.
 *
 * <p><b>How sure that is.</b> With two regions the replacement is final: both replicas pick the
 * same winner, so the old image's write is lost everywhere. With three or more, a third region may
 * have received the old state first and built its own next version on it, which can still win
 * later; then the "lost" write survives as that version's parent. Treat a stream report as a prompt
 * signal and confirm it with the write ledger ({@link dev.gtguard.ledger.Reconciler}), which sees
 * the whole history.
 *
 * <p>A lost write is reported as a {@link LostWrite} with {@link LostWrite.Source#STREAM}: {@code
 * version}/{@code writeToken} are the old image's, {@code survivingVersion}/{@code survivingToken}
 * the new image's, {@code lostItem} the old image, and {@code changes} what turns the surviving
 * item back into the lost one (every attribute whose old value differs from, or is missing in, the
 * new image is set; every attribute only the new image has is removed), version and token left out.
 *
 * <p><b>What it does not see.</b> {@code INSERT} and {@code REMOVE} records are never reported (a
 * write that loses to a concurrent delete, or a delete that loses to a write, is not a version
 * overwrite). Items without a version attribute (legacy items), records without both images (the
 * stream must be {@code NEW_AND_OLD_IMAGES}), versions that are not whole numbers, and old images
 * without a string token (not written by a versioned writer, so there is no write to name) are
 * skipped, never thrown on. When a replica had already moved past the lost write before the winning
 * state arrived (the new version is higher), the stream cannot tell the overwrite from a normal
 * write; the write ledger covers that case.
 *
 * <p><b>Duplicates.</b> Each lost write token is reported once per detector: a replayed record, or
 * the same loss seen again, is not reported twice. The detector remembers the last {@value
 * #REMEMBERED_TOKENS} reported tokens (least recently seen forgotten first). Thread-safe.
 */
public final class StreamDetector {
  /** How many reported write tokens a detector remembers to suppress duplicates. */
  public static final int REMEMBERED_TOKENS = 100_000;

  private static final Logger LOG = LoggerFactory.getLogger(StreamDetector.class);

  private final TableDescription table;
  private final ItemCodec codec;
  private final String region;
  private final Map<String, Boolean> reported =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REMEMBERED_TOKENS;
        }
      };

  private StreamDetector(Builder b) {
    this.table = b.table;
    this.codec = new ItemCodec(new InputRules(table));
    this.region = b.region;
  }

  /** A builder; {@code table} and {@code region} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The table whose stream this detector reads. */
  public String tableName() {
    return table.tableName();
  }

  /** The region of the replica whose stream this detector reads. */
  public String region() {
    return region;
  }

  /**
   * The lost writes these records show, in record order, each lost token at most once per detector.
   * Never throws on a record it cannot interpret; it skips it.
   *
   * @throws NullPointerException if {@code records} is null
   */
  public List<LostWrite> detect(List<Record> records) {
    Objects.requireNonNull(records, "records");
    List<LostWrite> lost = new ArrayList<>();
    for (Record record : records) {
      LostWrite found = detect(record, region);
      if (found != null) {
        lost.add(found);
      }
    }
    return lost;
  }

  /** One record's lost write, reported as seen in {@code seenIn}; null if none or a duplicate. */
  LostWrite detect(Record record, String seenIn) {
    LostWrite candidate = candidate(record, seenIn);
    if (candidate == null) {
      return null;
    }
    synchronized (reported) {
      if (reported.put(candidate.writeToken(), Boolean.TRUE) != null) {
        return null; // already reported by this detector
      }
    }
    return candidate;
  }

  /**
   * Lets these tokens be reported again, for a caller that could not deliver them: a Lambda batch
   * that will be retried, a poller whose callback failed.
   */
  void forget(Collection<String> tokens) {
    synchronized (reported) {
      tokens.forEach(reported::remove);
    }
  }

  /** Whether this token is remembered as reported. */
  boolean reported(String token) {
    synchronized (reported) {
      return reported.containsKey(token);
    }
  }

  private LostWrite candidate(Record record, String seenIn) {
    if (record == null || record.eventName() != OperationType.MODIFY) {
      return null;
    }
    StreamRecord change = record.dynamodb();
    if (change == null || !change.hasOldImage() || !change.hasNewImage()) {
      return null;
    }
    Map<String, AttributeValue> oldImage = change.oldImage();
    Map<String, AttributeValue> newImage = change.newImage();
    Long oldVersion = version(oldImage, record);
    Long newVersion = version(newImage, record);
    if (oldVersion == null || newVersion == null) {
      return null; // legacy item, or a version we cannot read
    }
    String oldToken = token(oldImage);
    String newToken = token(newImage);
    boolean overwritten =
        newVersion < oldVersion
            || (newVersion.equals(oldVersion) && !Objects.equals(oldToken, newToken));
    if (!overwritten) {
      return null;
    }
    if (oldToken == null) {
      LOG.debug(
          "{}: item {} at version {} was overwritten by version {}, but it has no {}: not a"
              + " versioned write, not reported",
          table.tableName(),
          change.hasKeys() ? ItemKey.fromMap(change.keys()) : "?",
          oldVersion,
          newVersion,
          table.tokenAttribute());
      return null;
    }
    ItemKey key = keyOf(change, oldImage);
    if (key == null) {
      return null;
    }
    return new LostWrite(
        table.tableName(),
        key,
        seenIn,
        oldVersion,
        oldToken,
        newVersion,
        newToken,
        oldImage,
        // What turns the surviving item back into the lost one, bookkeeping left out.
        codec.changesBetween(newImage, oldImage),
        LostWrite.Source.STREAM);
  }

  private Long version(Map<String, AttributeValue> image, Record record) {
    AttributeValue value = image.get(table.versionAttribute());
    if (value == null) {
      return null;
    }
    if (value.n() == null) {
      LOG.debug(
          "{}: skipping record {}: {} is not a number",
          table.tableName(),
          record.eventID(),
          table.versionAttribute());
      return null;
    }
    try {
      return Long.parseLong(value.n().trim());
    } catch (NumberFormatException e) {
      LOG.debug(
          "{}: skipping record {}: {} is not a whole number: {}",
          table.tableName(),
          record.eventID(),
          table.versionAttribute(),
          value.n());
      return null;
    }
  }

  private String token(Map<String, AttributeValue> image) {
    return codec.token(image);
  }

  /** The record's key in key-schema order; from the old image if the record carries no keys. */
  private ItemKey keyOf(StreamRecord change, Map<String, AttributeValue> oldImage) {
    Map<String, AttributeValue> source = change.hasKeys() ? change.keys() : oldImage;
    Map<String, AttributeValue> key = new LinkedHashMap<>();
    AttributeValue pk = source.get(table.partitionKey());
    if (pk != null) {
      key.put(table.partitionKey(), pk);
    }
    table.sortKey().filter(source::containsKey).ifPresent(sk -> key.put(sk, source.get(sk)));
    if (key.isEmpty()) {
      if (source.isEmpty()) {
        LOG.debug("{}: skipping a record without keys", table.tableName());
        return null;
      }
      return ItemKey.fromMap(source); // another key schema than configured: report what we have
    }
    return ItemKey.fromMap(key);
  }

  /** Builds a {@link StreamDetector}; each setter validates its argument at once. */
  public static final class Builder {
    private TableDescription table;
    private String region;

    private Builder() {}

    /** The table whose stream is read: its keys and managed attributes. Required. */
    public Builder table(TableDescription table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /**
     * The region of the replica whose stream is read, e.g. {@code eu-west-1}: reported as {@link
     * LostWrite#region()}. Required.
     */
    public Builder region(String region) {
      this.region = Arguments.nonBlank(region, "region");
      return this;
    }

    /**
     * @throws IllegalStateException if a required setting is missing
     */
    public StreamDetector build() {
      if (table == null || region == null) {
        throw new IllegalStateException("table and region are required");
      }
      return new StreamDetector(this);
    }
  }
}
