package dev.gtguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConflictRetryPolicyBuilderTest {

  @Test
  void defaults_areDocumentedValues() {
    ConflictRetryPolicy p = ConflictRetryPolicy.ofDefaults();
    assertThat(p.maxAttempts()).isEqualTo(64);
    assertThat(p.immediateRetries()).isZero();
    assertThat(p.baseDelay()).isEqualTo(Duration.ofMillis(10));
    assertThat(p.maxDelay()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void immediateRetries_negative_throwsIae_andFromCopiesIt() {
    assertThatThrownBy(() -> ConflictRetryPolicy.builder().immediateRetries(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("immediateRetries");
    ConflictRetryPolicy two = ConflictRetryPolicy.builder().immediateRetries(2).build();
    assertThat(ConflictRetryPolicy.from(two).build().immediateRetries()).isEqualTo(2);
  }

  @Test
  void from_copiesSettings() {
    ConflictRetryPolicy base = ConflictRetryPolicy.builder().maxAttempts(3).build();
    assertThat(ConflictRetryPolicy.from(base).build().maxAttempts()).isEqualTo(3);
  }

  @Test
  void maxAttempts_belowOne_throwsIae() {
    assertThatThrownBy(() -> ConflictRetryPolicy.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void delays_nullOrNegative_throw() {
    assertThatThrownBy(() -> ConflictRetryPolicy.builder().baseDelay(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ConflictRetryPolicy.builder().maxDelay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void build_baseAboveMax_throwsIse() {
    assertThatThrownBy(
            () ->
                ConflictRetryPolicy.builder()
                    .baseDelay(Duration.ofSeconds(2))
                    .maxDelay(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void versionedTableBuilder_missingOrClashingSettings_throwIse() {
    assertThatThrownBy(() -> VersionedTable.builder().tableName("t").build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> VersionedTable.builder().partitionKey("aws:rep:x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TableDescription.builder().versionAttribute(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                TableDescription.builder()
                    .tableName("t")
                    .partitionKey("pk")
                    .versionAttribute("pk")
                    .build())
        .isInstanceOf(IllegalStateException.class);
  }
}
