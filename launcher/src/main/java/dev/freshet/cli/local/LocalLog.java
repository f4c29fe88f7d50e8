package dev.freshet.cli.local;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/** Sends the components' logs to a file while {@code freshet local} prints its progress. */
final class LocalLog {

    private static final String CONFIG = "/log4j2-local.xml";

    private LocalLog() {}

    /** Reconfigures logging to append to {@code file}; warnings still reach stderr too. */
    static void toFile(Path file) {
        URL config = LocalLog.class.getResource(CONFIG);
        if (config == null) {
            return;
        }
        // --verbose set dev.freshet to DEBUG on the old configuration; keep it.
        Level freshet = LogManager.getLogger("dev.freshet").getLevel();
        System.setProperty("freshet.local.log", file.toAbsolutePath().toString());
        try {
            Configurator.reconfigure(config.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (freshet.isLessSpecificThan(Level.DEBUG)) {
            Configurator.setLevel("dev.freshet", freshet);
        }
    }
}
