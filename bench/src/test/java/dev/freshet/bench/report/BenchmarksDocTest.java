package dev.freshet.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarksDocTest {

    static final String DOC = "# Benchmarks\n\nIntro.\n\n## Label join\n\nHand-written findings.\n";

    @Test
    void firstRunPutsTheSummaryBeforeTheFirstSectionAndKeepsEverythingElse() {
        String out = BenchmarksDoc.splice(DOC, "## Summary\n\nrows\n");

        assertThat(out)
                .startsWith("# Benchmarks\n\nIntro.\n\n" + BenchmarksDoc.BEGIN)
                .contains("## Summary\n\nrows\n" + BenchmarksDoc.END)
                .endsWith("## Label join\n\nHand-written findings.\n");
    }

    @Test
    void laterRunsReplaceOnlyTheGeneratedBlock() {
        String once = BenchmarksDoc.splice(DOC, "old rows\n");
        String twice = BenchmarksDoc.splice(once, "new rows\n");

        assertThat(twice).contains("new rows").doesNotContain("old rows");
        assertThat(twice.indexOf(BenchmarksDoc.BEGIN))
                .isEqualTo(twice.lastIndexOf(BenchmarksDoc.BEGIN));
        assertThat(twice).endsWith("Hand-written findings.\n");
    }

    @Test
    void aimsAreJudgedInTheirDirection() {
        Figure floor = Figure.of("a", "s", "m", 120, "u", "peer", 100, 1.5, false, "");
        Figure bound = Figure.of("b", "s", "m", 4, "ms", "bound", 5, 1.0, true, "");
        Figure none = Figure.of("c", "s", "m", 1, "u", "peer", 2, Double.NaN, false, "");

        assertThat(floor.ratio()).isEqualTo(1.2);
        assertThat(floor.meetsAim()).isFalse();
        assertThat(bound.meetsAim()).isTrue();
        assertThat(none.hasAim()).isFalse();
        assertThat(BenchmarksDoc.summary(List.of(set(floor, bound, none)), List.of()))
                .contains("| 1.20× | ≥ 1.50× | **not met** |")
                .contains("| 0.80× | ≤ 1.00× | met |")
                .contains("| 0.50× |  |  |");
    }

    @Test
    void figuresSurviveTheirJsonFileIncludingMissingAims(@TempDir Path dir) throws Exception {
        FigureSet written =
                set(Figure.of("a", "s", "m", 3, "u", "peer", 2, Double.NaN, false, "note"));
        written.writeTo(dir);

        FigureSet read = FigureSet.read(dir.resolve(FigureSet.FILE_NAME));

        assertThat(read).isEqualTo(written);
        assertThat(read.figures().get(0).hasAim()).isFalse();
    }

    @Test
    void rewritesTheDocumentAndDrawsEveryPlot(@TempDir Path docs) throws Exception {
        Files.writeString(docs.resolve("BENCHMARKS.md"), DOC);
        Chart line =
                new Chart(
                        "growth",
                        "t",
                        Chart.Kind.LINE,
                        "rows",
                        "ms",
                        true,
                        List.of(
                                new Chart.Series(
                                        "ours",
                                        List.of(
                                                Chart.Point.at(16384, 9),
                                                Chart.Point.at(1 << 20, 9)))));
        FigureSet s =
                new FigureSet(
                        "trainer",
                        "Trainer",
                        "2026-11-30T00:00:00Z",
                        "2 cores",
                        "bench/run --only trainer",
                        "abc",
                        List.of(Figure.of("a", "s", "m", 3, "u", "peer", 2, 1.0, false, "")),
                        List.of(line));
        s.writeTo(docs.resolve("bench"));
        Files.move(
                docs.resolve("bench").resolve(FigureSet.FILE_NAME),
                docs.resolve("bench").resolve("trainer.json"));

        BenchmarksDoc.main(new String[] {docs.toString()});

        assertThat(docs.resolve("bench/growth.png")).isNotEmptyFile();
        assertThat(docs.resolve("bench/aims.png")).isNotEmptyFile();
        assertThat(Files.readString(docs.resolve("BENCHMARKS.md")))
                .contains("![growth](bench/growth.png)")
                .contains("commit abc")
                .endsWith("Hand-written findings.\n");
    }

    private static FigureSet set(Figure... figures) {
        return new FigureSet(
                "t",
                "Test",
                "2026-11-30T00:00:00Z",
                "machine",
                "cmd",
                "c",
                List.of(figures),
                List.of());
    }
}
