package dev.freshet.bench.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What one benchmark run hands to the report: its figures and chart data, when and where it ran.
 * Each benchmark writes {@code figures.json} into its output directory; {@code bench/run} copies it
 * to {@code docs/bench/<bench>.json} so the generated summary keeps every benchmark's latest run,
 * even when only one was rerun.
 *
 * @param bench short name, e.g. "join"; also the file name under docs/bench
 * @param title heading for the benchmark's rows
 * @param measuredAt ISO-8601 instant the run finished
 * @param machine one line: cores, CPU, memory, JDK
 * @param command how to rerun just this benchmark
 * @param commit the git commit measured ({@code bench/run} passes it in FRESHET_BENCH_COMMIT)
 */
public record FigureSet(
        String bench,
        String title,
        String measuredAt,
        String machine,
        String command,
        String commit,
        List<Figure> figures,
        List<Chart> charts) {

    public static final String FILE_NAME = "figures.json";

    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    // NaN marks "no aim": written as a JSON string token Jackson reads back.
                    .configure(
                            com.fasterxml.jackson.core.json.JsonWriteFeature.WRITE_NAN_AS_STRINGS
                                    .mappedFeature(),
                            true)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static FigureSet of(
            String bench, String title, String command, List<Figure> figures, List<Chart> charts) {
        return new FigureSet(
                bench,
                title,
                java.time.Instant.now()
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        .toString(),
                dev.freshet.bench.MachineFacts.collect().line(),
                command,
                System.getenv().getOrDefault("FRESHET_BENCH_COMMIT", "unknown"),
                List.copyOf(figures),
                List.copyOf(charts));
    }

    /** Writes {@code figures.json} into dir. */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve(FILE_NAME).toFile(), this);
    }

    public static FigureSet read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), FigureSet.class);
    }
}
