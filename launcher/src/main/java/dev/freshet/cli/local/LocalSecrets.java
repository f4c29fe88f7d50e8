package dev.freshet.cli.local;

import dev.freshet.store.S3Credentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The local stack's secrets, generated on first start and kept in its directory (owner-only), so a
 * restart uses the same ones and none is ever written in code or config.
 */
final class LocalSecrets {

    private LocalSecrets() {}

    /** The S3 credentials kept in {@code file}, generated now if there are none. */
    static S3Credentials s3Credentials(Path file) {
        return S3Credentials.readFile(file)
                .orElseGet(
                        () -> {
                            S3Credentials generated = S3Credentials.generate();
                            generated.writeFile(file);
                            return generated;
                        });
    }

    /** The registry write token kept in {@code file}, generated now if there is none. */
    static String registryToken(Path file) {
        try {
            if (Files.exists(file)) {
                String token = Files.readString(file).strip();
                if (!token.isEmpty()) {
                    return token;
                }
            }
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            String token = HexFormat.of().formatHex(bytes);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(
                        tmp,
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
                // not POSIX: the directory's permissions guard it
            }
            Files.writeString(tmp, token + "\n");
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the registry token in " + file, e);
        }
    }
}
