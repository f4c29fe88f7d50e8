package dev.freshet.cli.serve;

import dev.freshet.serving.ServingConfig;
import dev.freshet.serving.ServingMain;
import dev.freshet.serving.model.WatcherSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code freshet serve}: a serving replica following one alias of one model, until stopped. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run a serving replica until stopped: follow an alias of a model on the registry,"
                    + " download each new version, verify every sha256, load it, check it"
                    + " reproduces the trainer's probe predictions and swap it in; on any failure"
                    + " keep serving the last good version.",
            "HTTP: POST /score (raw impression JSON, one or an array), GET /status, /healthz,"
                    + " /readyz, /metrics."
        })
public final class ServeCommand implements Callable<Integer> {

    @Option(
            names = "--registry",
            required = true,
            paramLabel = "URL",
            description = "Model registry, e.g. http://localhost:8080.")
    URI registry;

    @Option(
            names = "--model",
            paramLabel = "NAME",
            defaultValue = ServingConfig.DEFAULT_MODEL,
            description = "Model to serve (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(
            names = "--alias",
            paramLabel = "ALIAS",
            defaultValue = WatcherSettings.DEFAULT_ALIAS,
            description =
                    "Alias to follow (default: ${DEFAULT-VALUE}, the newest version not"
                            + " rejected).")
    String alias;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "" + ServingConfig.DEFAULT_PORT,
            description = "HTTP port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "Where versions are downloaded (default: freshet-data/serving).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        ServingMain.run(config());
        return 0;
    }

    ServingConfig config() {
        return ServingConfig.of(
                registry,
                model,
                alias,
                port,
                workDir != null ? workDir : ServingConfig.DEFAULT_WORK_DIR);
    }
}
