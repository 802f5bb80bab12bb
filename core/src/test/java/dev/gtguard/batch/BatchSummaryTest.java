package dev.gtguard.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchSummaryTest {

  @Test
  void totals_severalRegions_sumEachCountSeparately() {
    BatchSummary summary =
        new BatchSummary(
            Map.of(
                "eu-west-1",
                new BatchSummary.RegionSummary(
                    "eu-west-1", 10, 2, 1, List.of(), 3, List.of(), 1, List.of()),
                "us-east-1",
                new BatchSummary.RegionSummary(
                    "us-east-1", 5, 0, 0, List.of(), 1, List.of(), 2, List.of())));

    assertThat(summary.done()).isEqualTo(15);
    assertThat(summary.retried()).isEqualTo(2);
    assertThat(summary.failed()).isEqualTo(1);
    assertThat(summary.callbackFailed()).isEqualTo(4);
    assertThat(summary.unknown()).isEqualTo(3);
  }

  @Test
  void regionSummary_earlierShape_hasNoCallbackFailuresNorUnknownOutcomes() {
    BatchSummary.RegionSummary region =
        new BatchSummary.RegionSummary(
            "eu-west-1", 4, 1, 1, List.of(new IllegalStateException("x")));

    assertThat(region.callbackFailed()).isZero();
    assertThat(region.callbackFailures()).isEmpty();
    assertThat(region.unknown()).isZero();
    assertThat(region.unknownOutcomes()).isEmpty();
    assertThat(region.failures()).hasSize(1);
  }

  @Test
  void progress_earlierShape_hasNoCallbackFailuresNorUnknownOutcomes() {
    assertThat(new HomeRegionBatch.Progress(5, 3, 2))
        .isEqualTo(new HomeRegionBatch.Progress(5, 3, 2, 0, 0));
  }
}
