package dev.freshet.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3 access key and its secret. {@link #toString()} never shows the secret, so a record that
 * holds these can be logged.
 *
 * <p>The credentials file is a Java properties file with {@code access_key} and {@code secret_key},
 * readable by its owner only ({@code freshet s3} writes one next to its data).
 */
public record S3Credentials(String accessKey, String secretKey) {

    public static final String ACCESS_KEY_PROPERTY = "access_key";
    public static final String SECRET_KEY_PROPERTY = "secret_key";

    private static final Logger LOG = LoggerFactory.getLogger(S3Credentials.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SECRET_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Set<PosixFilePermission> OWNER_ONLY =
            PosixFilePermissions.fromString("rw-------");

    public S3Credentials {
        if (accessKey == null || accessKey.isBlank()) {
            throw new IllegalArgumentException("S3 access key is empty");
        }
        if (secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("S3 secret key is empty");
        }
        accessKey = accessKey.strip();
        secretKey = secretKey.strip();
    }

    /** New random credentials: a 20-character access key and a 40-character secret. */
    public static S3Credentials generate() {
        return new S3Credentials(random(KEY_CHARS, 20), random(SECRET_CHARS, 40));
    }

    /**
     * Credentials from the environment: {@value S3Env#ACCESS_KEY} and {@value S3Env#SECRET_KEY},
     * else {@value S3Env#AWS_ACCESS_KEY} and {@value S3Env#AWS_SECRET_KEY}; empty if neither pair
     * is set.
     *
     * @throws IllegalArgumentException when a pair is half set
     */
    public static Optional<S3Credentials> fromEnvironment(S3Env env) {
        return envPair(env, S3Env.ACCESS_KEY, S3Env.SECRET_KEY)
                .or(() -> envPair(env, S3Env.AWS_ACCESS_KEY, S3Env.AWS_SECRET_KEY));
    }

    private static Optional<S3Credentials> envPair(S3Env env, String accessVar, String secretVar) {
        Optional<String> access = env.get(accessVar);
        Optional<String> secret = env.get(secretVar);
        if (access.isPresent() != secret.isPresent()) {
            throw new IllegalArgumentException(
                    accessVar + " and " + secretVar + ": set both or neither");
        }
        return access.map(a -> new S3Credentials(a, secret.get()));
    }

    /** Reads a credentials file; empty if there is none. */
    public static Optional<S3Credentials> readFile(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("cannot read S3 credentials file " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read S3 credentials file " + file, e);
        }
        String access = p.getProperty(ACCESS_KEY_PROPERTY);
        String secret = p.getProperty(SECRET_KEY_PROPERTY);
        if (access == null || access.isBlank() || secret == null || secret.isBlank()) {
            throw new IllegalArgumentException(
                    "S3 credentials file "
                            + file
                            + " must set both "
                            + ACCESS_KEY_PROPERTY
                            + " and "
                            + SECRET_KEY_PROPERTY);
        }
        warnIfOthersCanRead(file);
        return Optional.of(new S3Credentials(access, secret));
    }

    /**
     * Writes these credentials to {@code file}, readable and writable by the owner only, replacing
     * the file atomically (a reader never sees half a file).
     */
    public void writeFile(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(tmp);
            createOwnerOnly(tmp);
            Properties p = new Properties();
            p.setProperty(ACCESS_KEY_PROPERTY, accessKey);
            p.setProperty(SECRET_KEY_PROPERTY, secretKey);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "S3 credentials for Freshet's object store. Keep this file private.");
            }
            Files.move(
                    tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("another process is writing " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write S3 credentials file " + file, e);
        }
    }

    private static void createOwnerOnly(Path file) throws IOException {
        if (Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class) != null) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            // The umask may have removed bits but never adds them; set exactly 0600 anyway.
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        } else {
            Files.createFile(file);
        }
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null
                    && !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
                LOG.warn("S3 credentials file {} is readable by others: chmod 600 it", file);
            }
        } catch (IOException e) {
            LOG.debug("cannot check the permissions of {}", file, e);
        }
    }

    private static String random(String alphabet, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** The access key and a mask in place of the secret. */
    @Override
    public String toString() {
        return "S3Credentials[accessKey=" + accessKey + ", secretKey=****]";
    }
}
