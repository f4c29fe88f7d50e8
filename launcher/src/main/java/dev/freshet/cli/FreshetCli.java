package dev.freshet.cli;

import dev.freshet.cli.experiment.ExperimentCommand;
import dev.freshet.cli.kafka.KafkaCommand;
import dev.freshet.cli.local.LocalCommand;
import dev.freshet.cli.pipeline.PipelineCommand;
import dev.freshet.cli.registry.RegistryCommand;
import dev.freshet.cli.replay.ReplayCommand;
import dev.freshet.cli.s3.S3Command;
import dev.freshet.cli.samples.SamplesCommand;
import dev.freshet.cli.serve.ServeCommand;
import dev.freshet.cli.simulate.SimulateCommand;
import dev.freshet.cli.trainer.TrainerCommand;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code freshet} command: one entry point for every Freshet component, run by {@code
 * bin/freshet}.
 *
 * <p>Exit codes: 0 success, 2 bad usage (one line on stderr naming what is wrong), 1 failure (one
 * line on stderr; the stack trace too with {@code --verbose}).
 */
@Command(
        name = "freshet",
        mixinStandardHelpOptions = true,
        versionProvider = FreshetVersion.class,
        description = "Streaming continuous training for multi-task ranking models.",
        subcommands = {
            LocalCommand.class,
            KafkaCommand.class,
            ReplayCommand.class,
            SamplesCommand.class,
            PipelineCommand.class,
            S3Command.class,
            TrainerCommand.class,
            RegistryCommand.class,
            ServeCommand.class,
            SimulateCommand.class,
            ExperimentCommand.class
        })
public final class FreshetCli implements Runnable {

    /** Used when bin/freshet did not name a log configuration (e.g. plain {@code java -cp}). */
    private static final String LOG_CONFIG = "log4j2-cli.xml";

    @Spec CommandSpec spec;

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "Print stack traces of failures and Freshet's debug log.")
    void setVerbose(boolean verbose) {
        if (verbose) {
            Verbosity.enableDebugLogging();
        }
    }

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(),
                "missing command (one of: " + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    public static void main(String[] args) {
        // Before the first logger is created: log4j reads this once, at initialisation.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        PrintWriter out =
                new PrintWriter(
                        new OutputStreamWriter(
                                new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8),
                        true);
        System.exit(commandLine().setOut(out).execute(args));
    }

    /** The command line with Freshet's error handling; tests run commands through this too. */
    public static CommandLine commandLine() {
        ErrorHandler errors = new ErrorHandler();
        return new CommandLine(new FreshetCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors);
    }
}
