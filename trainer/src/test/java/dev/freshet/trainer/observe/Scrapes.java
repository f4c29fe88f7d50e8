package dev.freshet.trainer.observe;

import java.util.List;
import java.util.OptionalDouble;

/** Reads sample values out of a Prometheus text-format scrape. */
final class Scrapes {

    private Scrapes() {}

    /**
     * The value of one series, e.g. {@code freshet_trainer_task_loss{task="click"}}, or empty if
     * the scrape has no such line.
     */
    static OptionalDouble value(String scrape, String series) {
        List<String> lines = lines(scrape, series);
        if (lines.isEmpty()) {
            return OptionalDouble.empty();
        }
        if (lines.size() > 1) {
            throw new AssertionError("series " + series + " appears " + lines.size() + " times");
        }
        String value = lines.get(0).substring(series.length() + 1).trim();
        return OptionalDouble.of(parse(value));
    }

    /** All sample lines of exactly this series. */
    static List<String> lines(String scrape, String series) {
        return scrape.lines().filter(line -> line.startsWith(series + " ")).toList();
    }

    private static double parse(String value) {
        switch (value) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(value);
        }
    }
}
