package dev.gtguard.enhanced.internal;

import dev.gtguard.TableDescription;
import dev.gtguard.enhanced.HomeRegion;
import dev.gtguard.enhanced.HomeRegionResolver;
import dev.gtguard.enhanced.InvalidEntityException;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awssdk.enhanced.dynamodb.AttributeValueType;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * What an entity's annotations or tags declare, checked as a whole when a table is built: the
 * single-attribute checks (types) already ran when the schema was built; these are the rules that
 * need the whole entity.
 */
public final class EntityModel {
  private final String entityName;
  private final String partitionKey;
  private final String sortKey;
  private final String versionAttribute;
  private final String tokenAttribute;
  private final boolean tokenMapped;
  private final String parentTokenAttribute;
  private final HomeSpec home;
  private final String ulidSortKey;

  private EntityModel(
      String entityName,
      String partitionKey,
      String sortKey,
      String versionAttribute,
      String tokenAttribute,
      boolean tokenMapped,
      String parentTokenAttribute,
      HomeSpec home,
      String ulidSortKey) {
    this.entityName = entityName;
    this.partitionKey = partitionKey;
    this.sortKey = sortKey;
    this.versionAttribute = versionAttribute;
    this.tokenAttribute = tokenAttribute;
    this.tokenMapped = tokenMapped;
    this.parentTokenAttribute = parentTokenAttribute;
    this.home = home;
    this.ulidSortKey = ulidSortKey;
  }

  /**
   * The model of a {@code @Versioned} entity.
   *
   * @throws InvalidEntityException if the entity breaks a rule
   */
  public static EntityModel versioned(TableSchema<?> schema) {
    String entity = entityName(schema);
    TableMetadata metadata = schema.tableMetadata();
    List<String> versions = tagged(metadata, MetadataKeys.VERSION);
    Optional<String> sdkVersion =
        metadata.customMetadataObject(MetadataKeys.SDK_VERSION_ATTRIBUTE, String.class);
    if (sdkVersion.isPresent()) {
      String sdk = sdkVersion.get();
      if (versions.contains(sdk)) {
        throw new InvalidEntityException(
            entity
                + ": attribute '"
                + sdk
                + "' is both @Versioned and the SDK's @DynamoDbVersionAttribute. The SDK's"
                + " VersionedRecordExtension would bump it without a write token and check only"
                + " the local replica; remove @DynamoDbVersionAttribute (or"
                + " VersionedRecordExtension.AttributeTags.versionAttribute())");
      }
      throw new InvalidEntityException(
          versions.isEmpty()
              ? entity
                  + " is versioned by the SDK's @DynamoDbVersionAttribute on '"
                  + sdk
                  + "', which checks only the local replica and keeps no write token: replace it"
                  + " with @Versioned"
              : entity
                  + " has two version attributes, '"
                  + sdk
                  + "' (the SDK's @DynamoDbVersionAttribute) and "
                  + quoted(versions)
                  + " (@Versioned): keep @Versioned, which adds the write token and routing");
    }
    if (versions.isEmpty()) {
      throw new InvalidEntityException(
          entity
              + " is not versioned: put @Versioned on the getter of its version attribute (a Long);"
              + " GlobalTableTags.versioned() in a static schema");
    }
    if (versions.size() > 1) {
      throw new InvalidEntityException(
          entity
              + " has two version attributes, "
              + quoted(versions)
              + ": @Versioned goes on exactly one getter");
    }
    String version = versions.get(0);
    List<String> tokens = tagged(metadata, MetadataKeys.WRITE_TOKEN);
    if (tokens.size() > 1) {
      throw new InvalidEntityException(
          entity
              + " has two write-token attributes, "
              + quoted(tokens)
              + ": @WriteToken goes on exactly one getter");
    }
    boolean snake = isSnakeCase(schema.attributeNames());
    String token =
        tokens.isEmpty()
            ? unmapped(schema, entity, snake ? "write_token" : "writeToken")
            : tokens.get(0);
    String parent =
        metadata
            .customMetadataObject(MetadataKeys.VERSION + version, String.class)
            .filter(name -> !name.isEmpty())
            .orElse(snake ? "parent_token" : "parentToken");
    for (String managed : List.of(version, token, parent)) {
      if (metadata.primaryKeys().contains(managed)) {
        throw new InvalidEntityException(
            entity + ": '" + managed + "' is a key attribute and cannot also be managed");
      }
    }
    if (isTagged(metadata, MetadataKeys.ULID_SORT_KEY)) {
      throw new InvalidEntityException(
          entity
              + " is both @Versioned and @UlidSortKey: an append-only entity is never updated and"
              + " needs no version; keep one");
    }
    HomeSpec home = home(schema, entity);
    return new EntityModel(
        entity,
        metadata.primaryPartitionKey(),
        metadata.primarySortKey().orElse(null),
        version,
        token,
        !tokens.isEmpty(),
        parent,
        home,
        null);
  }

  /**
   * The model of an append-only entity (a {@code @UlidSortKey}).
   *
   * @throws InvalidEntityException if the entity breaks a rule
   */
  public static EntityModel appendOnly(TableSchema<?> schema) {
    String entity = entityName(schema);
    TableMetadata metadata = schema.tableMetadata();
    List<String> ulids = tagged(metadata, MetadataKeys.ULID_SORT_KEY);
    Optional<String> sortKey = metadata.primarySortKey();
    if (ulids.size() != 1) {
      throw new InvalidEntityException(
          entity
              + (ulids.isEmpty()
                  ? " has no @UlidSortKey: put it on the getter of its sort key"
                  : " has two @UlidSortKey attributes, " + quoted(ulids) + "; keep one"));
    }
    if (sortKey.isEmpty() || !sortKey.get().equals(ulids.get(0))) {
      throw new InvalidEntityException(
          entity
              + ": @UlidSortKey is on '"
              + ulids.get(0)
              + "', which is not the table's sort key"
              + sortKey.map(s -> " ('" + s + "')").orElse(" (it has none)")
              + "; put @DynamoDbSortKey and @UlidSortKey on the same getter");
    }
    if (isTagged(metadata, MetadataKeys.VERSION) || home(schema, entity) != null) {
      throw new InvalidEntityException(
          entity
              + " is append-only (@UlidSortKey) and cannot also be @Versioned or have a"
              + " @HomeRegion: its items are never overwritten, so any region may append them");
    }
    return new EntityModel(
        entity,
        metadata.primaryPartitionKey(),
        sortKey.get(),
        null,
        null,
        false,
        null,
        null,
        ulids.get(0));
  }

  /** The annotation a plain write of this table's entities would bypass, or null. */
  public static String protectedBy(TableMetadata metadata) {
    if (isTagged(metadata, MetadataKeys.VERSION)) {
      return "@Versioned";
    }
    if (isTagged(metadata, MetadataKeys.ULID_SORT_KEY)) {
      return "@UlidSortKey";
    }
    return null;
  }

  private static HomeSpec home(TableSchema<?> schema, String entity) {
    HomeSpec tagged =
        schema
            .tableMetadata()
            .customMetadataObject(MetadataKeys.HOME_REGION, HomeSpec.class)
            .orElse(null);
    Class<?> type = schema.itemType() == null ? null : schema.itemType().rawClass();
    HomeRegion annotation = type == null ? null : type.getAnnotation(HomeRegion.class);
    if (tagged != null && annotation != null) {
      throw new InvalidEntityException(
          entity
              + " declares its home region twice, with @HomeRegion and with "
              + tagged.declaredBy()
              + "; keep one");
    }
    HomeSpec spec =
        tagged != null ? tagged : annotation == null ? null : fromAnnotation(annotation, entity);
    if (spec != null && spec.attribute() != null) {
      checkHomeAttribute(schema, entity, spec.attribute());
    }
    return spec;
  }

  private static HomeSpec fromAnnotation(HomeRegion annotation, String entity) {
    boolean named = !annotation.attribute().isBlank();
    boolean resolved = annotation.resolver() != HomeRegionResolver.class;
    if (named == resolved) {
      throw new InvalidEntityException(
          entity
              + ": @HomeRegion names "
              + (named ? "both an attribute and a resolver" : "neither an attribute nor a resolver")
              + "; give exactly one, e.g. @HomeRegion(attribute = \"home_region\")");
    }
    if (named) {
      return new HomeSpec(annotation.attribute(), null, "@HomeRegion");
    }
    Class<? extends HomeRegionResolver> resolverClass = annotation.resolver();
    try {
      return new HomeSpec(
          null, resolverClass.getDeclaredConstructor().newInstance(), "@HomeRegion");
    } catch (NoSuchMethodException
        | InstantiationException
        | IllegalAccessException
        | InvocationTargetException e) {
      throw new InvalidEntityException(
          entity
              + ": @HomeRegion resolver "
              + resolverClass.getName()
              + " cannot be created; it needs to be a public, non-abstract class with a public"
              + " no-argument constructor",
          e instanceof InvocationTargetException ite ? ite.getCause() : e);
    }
  }

  private static void checkHomeAttribute(TableSchema<?> schema, String entity, String attribute) {
    if (!schema.attributeNames().contains(attribute)) {
      throw new InvalidEntityException(
          entity
              + ": the home-region attribute '"
              + attribute
              + "' is not one of its attributes "
              + new TreeSet<>(schema.attributeNames())
              + "; map a String property to it or fix the name");
    }
    AttributeValueType type;
    try {
      type = schema.converterForAttribute(attribute).attributeValueType();
    } catch (RuntimeException e) {
      return; // a schema that cannot tell its attribute types; the write checks the value
    }
    if (type != AttributeValueType.S) {
      throw new InvalidEntityException(
          entity
              + ": the home-region attribute '"
              + attribute
              + "' is stored as "
              + type
              + "; it must be a String naming a region");
    }
  }

  /**
   * Whether any attribute carries the tag: the extension asks this on every plain write, so it
   * neither collects nor sorts.
   */
  private static boolean isTagged(TableMetadata metadata, String prefix) {
    for (String key : metadata.customMetadata().keySet()) {
      if (key.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> tagged(TableMetadata metadata, String prefix) {
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, Object> entry : metadata.customMetadata().entrySet()) {
      if (entry.getKey().startsWith(prefix)) {
        names.add(entry.getKey().substring(prefix.length()));
      }
    }
    names.sort(null);
    return names;
  }

  /**
   * Whether the entity names its attributes in snake_case: some name has an underscore and none an
   * upper-case letter. The managed attributes the entity does not name follow the same convention.
   */
  static boolean isSnakeCase(Collection<String> names) {
    boolean underscore = false;
    for (String name : names) {
      if (!name.equals(name.toLowerCase(Locale.ROOT))) {
        return false;
      }
      underscore |= name.indexOf('_') >= 0;
    }
    return underscore;
  }

  /**
   * The write-token attribute the library names when no getter is {@code @WriteToken}: refused if
   * the entity maps an attribute of that name for something else.
   */
  private static String unmapped(TableSchema<?> schema, String entity, String name) {
    if (schema.attributeNames().contains(name)) {
      throw new InvalidEntityException(
          entity
              + " maps an attribute '"
              + name
              + "' without @WriteToken; the library keeps the write token there: mark its getter"
              + " @WriteToken, or rename the property");
    }
    return name;
  }

  private static String quoted(List<String> names) {
    return "'" + String.join("' and '", names) + "'";
  }

  private static String entityName(TableSchema<?> schema) {
    return schema.itemType() == null ? "the entity" : schema.itemType().rawClass().getSimpleName();
  }

  public String entityName() {
    return entityName;
  }

  public String partitionKey() {
    return partitionKey;
  }

  /** The sort key, or null. */
  public String sortKey() {
    return sortKey;
  }

  public String versionAttribute() {
    return versionAttribute;
  }

  public String tokenAttribute() {
    return tokenAttribute;
  }

  /**
   * Whether the entity maps the write token ({@code @WriteToken}); if not, the library keeps it in
   * the item only.
   */
  public boolean tokenMapped() {
    return tokenMapped;
  }

  public String parentTokenAttribute() {
    return parentTokenAttribute;
  }

  /** The core description of a table of these entities: its keys and managed attributes. */
  public TableDescription describe(String tableName) {
    TableDescription.Builder description =
        TableDescription.builder()
            .tableName(tableName)
            .partitionKey(partitionKey)
            .versionAttribute(versionAttribute)
            .tokenAttribute(tokenAttribute)
            .parentTokenAttribute(parentTokenAttribute);
    if (sortKey != null) {
      description.sortKey(sortKey);
    }
    return description.build();
  }

  /** Where writes go, or null for the local region. */
  public HomeSpec home() {
    return home;
  }

  public String ulidSortKey() {
    return ulidSortKey;
  }
}
