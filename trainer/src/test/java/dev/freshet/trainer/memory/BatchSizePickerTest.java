package dev.freshet.trainer.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchSizePickerTest {

    private static final long MIB = 1 << 20;

    @Test
    void picksTheLargestBatchWhosePeakStaysUnderTheBudget() {
        List<Integer> tried = new ArrayList<>();
        // 100 MiB fixed plus 1 MiB per sample; the budget is 60% of 1000 MiB = 600 MiB.
        BatchSizePicker.Picked picked =
                BatchSizePicker.pick(
                        16,
                        4096,
                        0.6,
                        1000 * MIB,
                        size -> {
                            tried.add(size);
                            return 100 * MIB + size * MIB;
                        });

        assertThat(picked.batchSize()).isEqualTo(256);
        assertThat(picked.peakBytes())
                .isEqualTo(356 * MIB)
                .isLessThanOrEqualTo(picked.budgetBytes());
        assertThat(picked.budgetBytes()).isEqualTo(600 * MIB);
        // Ascending, and the first candidate over budget ends the search.
        assertThat(tried).containsExactly(16, 32, 64, 128, 256, 512);
        assertThat(picked.probes()).last().extracting(BatchSizePicker.Probe::fits).isEqualTo(false);
    }

    @Test
    void takesTheMaximumWhenEverythingFits() {
        BatchSizePicker.Picked picked =
                BatchSizePicker.pick(16, 1000, 0.6, 1000 * MIB, size -> MIB);

        assertThat(picked.batchSize()).isEqualTo(1000);
        assertThat(BatchSizePicker.candidates(16, 1000))
                .containsExactly(16, 32, 64, 128, 256, 512, 1000);
        assertThat(BatchSizePicker.candidates(24, 24)).containsExactly(24);
    }

    @Test
    void refusesWhenEvenTheSmallestBatchIsOverBudget() {
        assertThatThrownBy(() -> BatchSizePicker.pick(16, 512, 0.5, 100 * MIB, size -> 60 * MIB))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("even a batch of 16 needs 60 MiB, over the budget of 50 MiB");
        assertThatThrownBy(() -> BatchSizePicker.pick(16, 512, 1.5, 100 * MIB, size -> 0))
                .hasMessageContaining("fraction in (0, 1]");
    }
}
