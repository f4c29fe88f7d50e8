package dev.freshet.reliability.soak;

import java.util.HashMap;
import java.util.Map;

/**
 * The few series the soak reads from the trainer's Prometheus text (TrainerMetrics): a sample's
 * value is summed over its label sets, so {@code jvm_memory_used_bytes} filtered to the heap pools
 * is the heap in use.
 */
final class TrainerScrape {

    static final String LAG = "freshet_trainer_consumer_lag_records";
    static final String TRAINED = "freshet_trainer_samples_total";
    static final String VERSIONS = "freshet_trainer_versions_published_total";
    static final String MEMORY_USED = "jvm_memory_used_bytes";
    static final String LIVE_HEAP = "jvm_gc_live_data_size_bytes";

    private final Map<String, Double> sums = new HashMap<>();
    private double heap;

    private TrainerScrape() {}

    static TrainerScrape parse(String text) {
        TrainerScrape scrape = new TrainerScrape();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            int brace = line.indexOf('{');
            String name = line.substring(0, brace >= 0 && brace < space ? brace : space).strip();
            double value;
            try {
                value = Double.parseDouble(line.substring(space + 1).strip());
            } catch (NumberFormatException e) {
                continue;
            }
            if (Double.isNaN(value)) {
                continue;
            }
            scrape.sums.merge(name, value, Double::sum);
            if (name.equals(MEMORY_USED) && line.contains("area=\"heap\"")) {
                scrape.heap += value;
            }
        }
        return scrape;
    }

    /** The value summed over label sets, or -1 where the series is absent. */
    long get(String name) {
        Double v = sums.get(name);
        return v == null ? -1 : Math.round(v);
    }

    long heapUsedBytes() {
        return sums.containsKey(MEMORY_USED) ? Math.round(heap) : -1;
    }
}
