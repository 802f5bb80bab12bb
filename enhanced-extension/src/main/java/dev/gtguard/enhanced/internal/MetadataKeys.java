package dev.gtguard.enhanced.internal;

/**
 * The table-metadata keys the tags write and {@link EntityModel} reads. Version, token and ULID
 * keys carry the attribute name, so that two tagged attributes are two entries and can be reported
 * by name instead of colliding.
 */
public final class MetadataKeys {
  /** Followed by the version attribute's name; the value is the parent-token attribute. */
  public static final String VERSION = "gtguard:Versioned:";

  /** Followed by the write-token attribute's name. */
  public static final String WRITE_TOKEN = "gtguard:WriteToken:";

  /** Followed by the ULID sort key's name. */
  public static final String ULID_SORT_KEY = "gtguard:UlidSortKey:";

  /** A {@link HomeSpec}. */
  public static final String HOME_REGION = "gtguard:HomeRegion";

  /** Where the SDK's {@code VersionedRecordExtension} keeps its version attribute's name. */
  public static final String SDK_VERSION_ATTRIBUTE = "VersionedRecordExtension:VersionAttribute";

  private MetadataKeys() {}
}
