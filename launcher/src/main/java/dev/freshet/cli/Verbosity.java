package dev.freshet.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** What {@code --verbose} changes besides stack traces: log levels. */
final class Verbosity {

    private Verbosity() {}

    static void enableDebugLogging() {
        Configurator.setLevel("dev.freshet", Level.DEBUG);
        Configurator.setLevel("org.apache.kafka.clients.NetworkClient", Level.WARN);
    }
}
