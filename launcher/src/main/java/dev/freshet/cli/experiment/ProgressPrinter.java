package dev.freshet.cli.experiment;

import dev.freshet.trainer.experiment.ConfigResult;
import dev.freshet.trainer.experiment.ExperimentRunner;
import java.io.PrintWriter;
import java.util.Locale;

/** Progress on stderr: a line per config and seed every 10% of its steps, and one when done. */
final class ProgressPrinter implements ExperimentRunner.Listener {

    private final PrintWriter err;
    private int configs;
    private String name;
    private long started;
    private long lastTenth = -1;
    private int lastSeed = -1;

    ProgressPrinter(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void started(int config, int configs, String name) {
        this.configs = configs;
        this.name = name;
        this.started = System.nanoTime();
        this.lastTenth = -1;
        this.lastSeed = -1;
        err.printf("[%d/%d] %s: starting%n", config + 1, configs, name);
        err.flush();
    }

    @Override
    public void progress(int config, int seedIndex, int seeds, long step, long steps) {
        long tenth = step * 10 / steps;
        if (seedIndex != lastSeed || tenth != lastTenth) {
            lastSeed = seedIndex;
            lastTenth = tenth;
            err.printf(
                    "[%d/%d] %s: seed %d/%d, step %d/%d (%d%%)%n",
                    config + 1, configs, name, seedIndex + 1, seeds, step, steps, tenth * 10);
            err.flush();
        }
    }

    @Override
    public void finished(int config, ConfigResult result) {
        double hit = result.runs().stream().mapToDouble(r -> r.hit()).average().orElse(Double.NaN);
        err.printf(
                Locale.ROOT,
                "[%d/%d] %s: done in %.0f s, HIT@%d/%s %.4f, batch %d%n",
                config + 1,
                configs,
                name,
                (System.nanoTime() - started) / 1e9,
                result.hitK(),
                result.hitTask(),
                hit,
                result.batchSize());
        err.flush();
    }
}
