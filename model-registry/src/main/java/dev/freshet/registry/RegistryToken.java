package dev.freshet.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The registry write token, read from the environment: {@value #TOKEN} itself, or the file named by
 * {@value #TOKEN_FILE} (a mounted secret). The registry and the trainer both read it here.
 */
public final class RegistryToken {

    public static final String TOKEN = "FRESHET_REGISTRY_TOKEN";
    public static final String TOKEN_FILE = "FRESHET_REGISTRY_TOKEN_FILE";

    private RegistryToken() {}

    public static Optional<String> fromEnv(Map<String, String> env) {
        String direct = env.get(TOKEN);
        if (direct != null && !direct.isBlank()) {
            return Optional.of(direct.trim());
        }
        String file = env.get(TOKEN_FILE);
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        try {
            String t = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
            if (t.isEmpty()) {
                throw new IllegalArgumentException(TOKEN_FILE + " names an empty file: " + file);
            }
            return Optional.of(t);
        } catch (IOException e) {
            throw new UncheckedIOException(TOKEN_FILE + " names an unreadable file: " + file, e);
        }
    }
}
