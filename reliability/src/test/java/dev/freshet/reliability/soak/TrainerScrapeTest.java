package dev.freshet.reliability.soak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrainerScrapeTest {

    private static final String TEXT =
            """
            # HELP freshet_trainer_consumer_lag_records Records behind the end of the input topic
            # TYPE freshet_trainer_consumer_lag_records gauge
            freshet_trainer_consumer_lag_records 12345.0
            # TYPE freshet_trainer_samples_total counter
            freshet_trainer_samples_total 9.87654E5
            freshet_trainer_versions_published_total 7.0
            freshet_trainer_freshness_seconds NaN
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E8
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.097152E8
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.0E7
            jvm_gc_live_data_size_bytes 1.5E8
            """;

    @Test
    void readsTheTrainersSeriesAndSumsTheHeapPools() {
        TrainerScrape s = TrainerScrape.parse(TEXT);
        assertThat(s.get(TrainerScrape.LAG)).isEqualTo(12_345);
        assertThat(s.get(TrainerScrape.TRAINED)).isEqualTo(987_654);
        assertThat(s.get(TrainerScrape.VERSIONS)).isEqualTo(7);
        assertThat(s.get(TrainerScrape.LIVE_HEAP)).isEqualTo(150_000_000);
        assertThat(s.heapUsedBytes()).isEqualTo(300 * 1_048_576L);
    }

    @Test
    void anAbsentOrNaNSeriesIsMinusOne() {
        TrainerScrape s = TrainerScrape.parse(TEXT);
        assertThat(s.get("freshet_trainer_freshness_seconds")).isEqualTo(-1);
        assertThat(s.get("no_such_series")).isEqualTo(-1);
        assertThat(TrainerScrape.parse("").heapUsedBytes()).isEqualTo(-1);
    }
}
