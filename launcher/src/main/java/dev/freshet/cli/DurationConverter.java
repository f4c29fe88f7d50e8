package dev.freshet.cli;

import dev.freshet.features.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations on the command line read like those in config files: 500ms, 30s, 2m, 1h. */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            // picocli prints this message as is; another exception type would add its class name.
            throw new TypeConversionException(e.getMessage());
        }
    }
}
