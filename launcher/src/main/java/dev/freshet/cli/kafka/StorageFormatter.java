package dev.freshet.cli.kafka;

import dev.freshet.cli.exception.CommandException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats the broker's log directory once, as {@code kafka-storage.sh format --standalone} does. A
 * formatted directory is never formatted again: that would give it a new cluster id and orphan its
 * data.
 */
final class StorageFormatter {

    private static final Logger LOG = LoggerFactory.getLogger(StorageFormatter.class);

    private StorageFormatter() {}

    /** Returns whether it formatted (false: the directory already was). */
    static boolean formatIfNeeded(BrokerSettings settings) {
        if (Files.exists(settings.logDir().resolve("meta.properties"))) {
            return false;
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] args = {
            "format", "--standalone", "-t", clusterId, "-c", settings.propertiesFile().toString()
        };
        int code;
        // execute, not main: main ends the JVM.
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            code = StorageTool.execute(args, out);
        } catch (RuntimeException e) {
            throw new CommandException(
                    "cannot format Kafka storage in " + settings.logDir() + ": " + e.getMessage(),
                    e);
        }
        String text = output.toString(StandardCharsets.UTF_8).strip();
        if (code != 0) {
            throw new CommandException(
                    "cannot format Kafka storage in " + settings.logDir() + ": " + text);
        }
        LOG.info("Formatted {} for new cluster {}", settings.logDir(), clusterId);
        LOG.debug("kafka-storage format: {}", text);
        return true;
    }
}
