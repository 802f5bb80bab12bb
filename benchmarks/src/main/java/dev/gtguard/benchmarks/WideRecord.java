package dev.gtguard.benchmarks;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;

import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.extensions.VersionedRecordExtension;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * The 200-number item of {@link UpdateOverheadBenchmark} for the Enhanced Client: nobody writes a
 * bean of 200 properties, so the numbers are an array, mapped one top-level attribute each ({@code
 * count} is number 0, then {@code n001} to {@code n199}) by a {@link StaticTableSchema} built in a
 * loop, with {@code version} tagged for the SDK's {@code VersionedRecordExtension}. A document
 * schema ({@code TableSchema.documentSchema}) would hold the numbers as easily, but it has no
 * version tag, so the extension would not version it.
 */
final class WideRecord {
  static final TableSchema<WideRecord> SCHEMA = schema();

  String pk;
  final long[] numbers = new long[200];
  Long version;

  /** The item as held: what {@link OverheadItems#held(int)} holds, without the library's tokens. */
  static WideRecord held() {
    WideRecord r = new WideRecord();
    r.pk = OverheadItems.PK;
    r.numbers[0] = OverheadItems.COUNT;
    for (int i = 1; i < 200; i++) {
      r.numbers[i] = OverheadItems.wideValue(i);
    }
    r.version = OverheadItems.VERSION;
    return r;
  }

  private static TableSchema<WideRecord> schema() {
    StaticTableSchema.Builder<WideRecord> b =
        StaticTableSchema.builder(WideRecord.class)
            .newItemSupplier(WideRecord::new)
            .addAttribute(
                String.class,
                a ->
                    a.name("pk")
                        .getter(r -> r.pk)
                        .setter((r, v) -> r.pk = v)
                        .tags(primaryPartitionKey()));
    for (int i = 0; i < 200; i++) {
      int n = i;
      b.addAttribute(
          Long.class,
          a ->
              a.name(n == 0 ? "count" : OverheadItems.wideName(n))
                  .getter(r -> r.numbers[n])
                  .setter((r, v) -> r.numbers[n] = v));
    }
    return b.addAttribute(
            Long.class,
            a ->
                a.name("version")
                    .getter(r -> r.version)
                    .setter((r, v) -> r.version = v)
                    .tags(VersionedRecordExtension.AttributeTags.versionAttribute()))
        .build();
  }
}
