package dev.freshet.trainer.experiment;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.config.ModelConfigFile;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The process one config of an experiment trains in, so that its peak memory is its own. Reads a
 * {@link WorkerRequest}, reports progress on stdout as {@code progress <seed index> <seeds> <step>
 * <steps>} lines, writes the {@link ConfigResult} as JSON and exits 0; on failure, prints the
 * reason on stderr and exits 1.
 */
public final class ExperimentWorker {

    static final String PROGRESS = "progress";
    static final ObjectMapper JSON = JsonMapper.builder().build();

    private ExperimentWorker() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ExperimentWorker REQUEST.json");
            System.exit(2);
        }
        try {
            run(Path.of(args[0]), System.out);
        } catch (Exception e) {
            System.err.println("experiment worker failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    static void run(Path requestFile, PrintStream out) throws Exception {
        WorkerRequest request = JSON.readValue(requestFile.toFile(), WorkerRequest.class);
        ModelConfig config = ModelConfigFile.parse(request.model());
        ExperimentData data = ExperimentData.read(Path.of(request.data()));
        ConfigTrial trial =
                new ConfigTrial(
                        data, request.settings(), request.gpu() ? Device.gpu() : Device.cpu());
        long[] reported = {-1};
        ConfigResult result =
                trial.run(
                        request.name(),
                        config,
                        request.seeds(),
                        (seedIndex, seeds, step, steps) -> {
                            // About 100 lines per seed is enough to draw a progress bar.
                            long percent = step * 100 / steps;
                            if (percent != reported[0] || step == steps) {
                                reported[0] = step == steps ? -1 : percent;
                                out.println(
                                        PROGRESS + " " + seedIndex + " " + seeds + " " + step + " "
                                                + steps);
                                out.flush();
                            }
                        });
        JSON.writeValue(Path.of(request.result()).toFile(), result);
    }
}
