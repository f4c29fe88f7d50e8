package dev.freshet.reliability.soak;

import static dev.freshet.reliability.soak.SoakAnalysis.f;

import dev.freshet.reliability.soak.SoakAnalysis.Check;
import dev.freshet.reliability.soak.SoakAnalysis.Figure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The soak's results as {@code soak.md}: the checks, the series, the stages, what changed. */
final class SoakReport {

    private final SoakSettings settings;
    private final SoakAnalysis analysis;
    private final double startupSeconds;
    private final Optional<Integer> exitCode;
    private final Census atWarmup;
    private final Census atEnd;

    SoakReport(
            SoakSettings settings,
            SoakAnalysis analysis,
            double startupSeconds,
            Optional<Integer> exitCode,
            Census atWarmup,
            Census atEnd) {
        this.settings = settings;
        this.analysis = analysis;
        this.startupSeconds = startupSeconds;
        this.atWarmup = atWarmup;
        this.atEnd = atEnd;
        this.exitCode = exitCode;
    }

    void write(Path dir) throws IOException {
        Files.writeString(dir.resolve("soak.md"), markdown());
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(
                f(
                        "# Soak: %s config, %,.0f impressions/s, %d min (warm-up %d min, then a"
                                + " sample every %d s)\n\n",
                        settings.quick() ? "quick" : "local",
                        settings.rate(),
                        settings.length().toMinutes(),
                        settings.warmup().toMinutes(),
                        settings.every().toSeconds()));
        md.append(
                f(
                        "JVM flags: `%s`. Start-up and the pipeline's first windows (until the"
                                + " trainer trains, where the clock starts) %.0f s. ",
                        String.join(" ", settings.jvmFlags()), startupSeconds));
        md.append(
                f(
                        "Stopped with SIGTERM: exit code %s.\n\n",
                        exitCode.map(String::valueOf).orElse("none (did not stop)")));

        md.append("| check | measured | bound | result |\n| --- | --- | --- | --- |\n");
        for (Check c : analysis.checks()) {
            md.append(
                    f(
                            "| %s | %s | %s | %s |\n",
                            c.name(),
                            c.measured(),
                            c.bound(),
                            !c.judged() ? "reported" : c.passed() ? "pass" : "**FAIL**"));
        }

        md.append("\nAfter the warm-up:\n\n");
        md.append(
                "| series | at end of warm-up | at end | max | trend per minute |\n"
                        + "| --- | ---: | ---: | ---: | ---: |\n");
        for (Figure fig : analysis.figures()) {
            md.append(
                    f(
                            "| %s%s | %,.1f | %,.1f | %,.1f | %+,.2f |\n",
                            fig.name(),
                            fig.unit().isEmpty() ? "" : " (" + fig.unit() + ")",
                            fig.start(),
                            fig.end(),
                            fig.max(),
                            fig.perMinute()));
        }

        double sent = analysis.ratePerSecond(SoakSample::impressions);
        double committed = analysis.ratePerSecond(SoakSample::committed);
        double trained = analysis.ratePerSecond(SoakSample::trained);
        md.append("\n| stage | per second after warm-up | of the stage feeding it |\n");
        md.append("| --- | ---: | ---: |\n");
        md.append(
                f(
                        "| simulator sent | %,.0f impressions | %.2f× of `--rate` |\n",
                        sent, sent / settings.rate()));
        md.append(
                f("| pipeline committed | %,.0f samples | %.2f× |\n", committed, committed / sent));
        md.append(
                f("| trainer trained | %,.0f samples | %.2f× |\n\n", trained, trained / committed));
        if (atWarmup != null && atEnd != null) {
            changes(md, "threads by name", atWarmup.threads(), atEnd.threads());
            changes(md, "open files by kind", atWarmup.openFiles(), atEnd.openFiles());
        }
        md.append(summary()).append('\n');
        return md.toString();
    }

    private static void changes(
            StringBuilder md,
            String what,
            Map<String, Integer> before,
            Map<String, Integer> after) {
        List<Census.Change> changes = Census.changes(before, after);
        md.append(f("Changes in %s, end of warm-up to end (digits as #):", what));
        if (changes.isEmpty()) {
            md.append(" none.\n\n");
            return;
        }
        md.append("\n\n| group | end of warm-up | end |\n| --- | ---: | ---: |\n");
        for (Census.Change c : changes) {
            md.append(f("| `%s` | %d | %d |\n", c.group(), c.before(), c.after()));
        }
        md.append('\n');
    }

    /** One line: the verdict on the rate and every judged check. */
    String summary() {
        List<Check> checks = analysis.checks();
        long failed = checks.stream().filter(Check::failed).count();
        StringBuilder s =
                new StringBuilder(
                        f(
                                "soak %s: %d min at %,.0f/s, %s (trained/committed %.2f);",
                                failed == 0 ? "passed" : "FAILED",
                                settings.length().toMinutes(),
                                settings.rate(),
                                analysis.rateVerdict(),
                                analysis.trainedToCommitted()));
        for (Check c : checks) {
            s.append(' ').append(c.name()).append(": ").append(c.measured());
            s.append(c.failed() ? " FAIL;" : ";");
        }
        return s.toString();
    }
}
