package dev.freshet.cli.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.cli.CliRun;
import dev.freshet.features.sample.SampleJson;
import dev.freshet.features.spec.FeatureSpecJson;
import dev.freshet.trainer.synthetic.SyntheticSamples;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code freshet experiment} on a capture file, as a user runs it. */
class ExperimentCommandTest {

    @TempDir static Path dir;
    private static Path data;
    private static Path base;

    @BeforeAll
    static void capture() throws Exception {
        SyntheticSamples.Data synthetic =
                SyntheticSamples.generate(1500, 4, SyntheticSamples.Shape.small());
        List<String> lines = new ArrayList<>();
        // What `freshet samples` prints for the spec topic, then for the samples topic.
        lines.add(new String(FeatureSpecJson.toBytes(synthetic.spec()), StandardCharsets.UTF_8));
        synthetic.samples().forEach(s -> lines.add(SampleJson.toJsonLine(s)));
        lines.add(7, "{\"not\": \"a sample\"}");
        data = Files.write(dir.resolve("capture.jsonl"), lines);
        base =
                Files.writeString(
                        dir.resolve("base.yaml"),
                        "tasks: [{name: click}, {name: save, weight: 2.0}]\n"
                                + "embedding_dim: 8\nmlp: [32]\n");
    }

    @Test
    void writesTheTableForEveryConfigOverTheBase() throws Exception {
        Path dcn2 =
                Files.writeString(
                        dir.resolve("dcn2.yaml"), "interaction: {type: dcn, cross_layers: 2}\n");
        Path lowRank =
                Files.writeString(
                        dir.resolve("low-rank.yaml"),
                        "interaction: {type: dcn_low_rank, cross_layers: 2, rank: 4}\n");
        Path out = dir.resolve("out");

        CliRun run =
                CliRun.of(
                        "experiment",
                        "--data",
                        data.toString(),
                        "--configs",
                        // The baseline's file named another way: one row, not two.
                        dir.resolve(".").resolve("dcn2.yaml").toString(),
                        lowRank.toString(),
                        "--baseline",
                        dcn2.toString(),
                        "--base-config",
                        base.toString(),
                        "--seeds",
                        "2",
                        "--batch-size",
                        "128",
                        "--out",
                        out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        // The baseline comes first and is marked; every task of the base has its columns.
        assertThat(run.outLines().get(0)).contains("HIT@3/save", "AUC click", "AUC save");
        assertThat(run.outLines().get(2)).startsWith("| **dcn2** | 2 | 128 |");
        assertThat(run.outLines().get(3)).startsWith("| low-rank | 2 | 128 |");
        assertThat(run.err())
                .contains("set aside 1 line(s)", "capture.jsonl:8")
                .contains("[1/2] dcn2: seed 2/2", "[2/2] low-rank: done");
        assertThat(Files.readString(out.resolve("results.md")))
                .contains("1500 samples", "the first 1200 trained on", "Baseline **dcn2**");
        assertThat(Files.readAllLines(out.resolve("results.csv"))).hasSize(3);
        assertThat(ImageIO.read(out.resolve("hit-gain.png").toFile()).getWidth()).isEqualTo(900);
        assertThat(Files.readString(out.resolve("results.json")))
                .contains("\"name\" : \"low-rank\"");
    }

    @Test
    void refusesAConfigWhoseTaskTheSamplesDoNotCarry() throws Exception {
        Path purchase =
                Files.writeString(dir.resolve("purchase.yaml"), "tasks: [{name: purchase}]\n");

        CliRun run =
                CliRun.of(
                        "experiment", "--data", data.toString(), "--configs", purchase.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains("purchase: task purchase has no label in any of the 1500 samples");
    }

    @Test
    void refusesBadSettingsAsUsageErrors() {
        CliRun holdout =
                CliRun.of(
                        "experiment",
                        "--data",
                        data.toString(),
                        "--configs",
                        base.toString(),
                        "--holdout",
                        "1.5");
        CliRun both =
                CliRun.of(
                        "experiment",
                        "--data",
                        data.toString(),
                        "--bootstrap-servers",
                        "h:1",
                        "--configs",
                        base.toString());

        assertThat(holdout.exitCode()).isEqualTo(2);
        assertThat(holdout.err()).contains("holdout must be a fraction strictly between 0 and 1");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
    }
}
