package dev.freshet.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the object store is and how to sign requests to it. {@link #toString()} masks the secret.
 *
 * @param endpoint {@code http(s)://host[:port]}, no path; requests are path-style
 * @param bucket the one bucket every key is relative to
 * @param region the signing region; S3Proxy and MinIO accept any, AWS needs the bucket's
 * @param accessKey the access key id
 * @param secretKey the secret key; never logged
 */
public record S3Settings(
        URI endpoint, String bucket, String region, String accessKey, String secretKey) {

    public static final String DEFAULT_REGION = "us-east-1";

    private static final Logger LOG = LoggerFactory.getLogger(S3Settings.class);
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3Settings {
        endpoint = checkEndpoint(endpoint);
        if (!isValidBucket(bucket)) {
            throw new IllegalArgumentException(
                    "S3 bucket must be 3-63 lowercase letters, digits, '.' or '-', got '"
                            + bucket
                            + "'");
        }
        region = region == null || region.isBlank() ? DEFAULT_REGION : region.strip();
        S3Credentials checked = new S3Credentials(accessKey, secretKey);
        accessKey = checked.accessKey();
        secretKey = checked.secretKey();
    }

    public S3Settings(URI endpoint, String bucket, String region, S3Credentials credentials) {
        this(endpoint, bucket, region, credentials.accessKey(), credentials.secretKey());
    }

    public S3Credentials credentials() {
        return new S3Credentials(accessKey, secretKey);
    }

    /**
     * Settings with credentials taken from the first of: {@code accessKey} and {@code secretKey}
     * (both or neither), the environment ({@value S3Env#ACCESS_KEY} and {@value S3Env#SECRET_KEY},
     * then {@value S3Env#AWS_ACCESS_KEY} and {@value S3Env#AWS_SECRET_KEY}), the credentials file
     * {@code credentialsFile} (or {@value S3Env#CREDENTIALS_FILE} when null).
     *
     * @param region null for {@value #DEFAULT_REGION}
     * @throws IllegalArgumentException when no source has credentials, or one has only half
     */
    public static S3Settings resolve(
            String endpoint,
            String bucket,
            String region,
            String accessKey,
            String secretKey,
            Path credentialsFile) {
        return resolve(
                endpoint, bucket, region, accessKey, secretKey, credentialsFile, S3Env.system());
    }

    /** {@link #resolve(String, String, String, String, String, Path)} with a given environment. */
    public static S3Settings resolve(
            String endpoint,
            String bucket,
            String region,
            String accessKey,
            String secretKey,
            Path credentialsFile,
            S3Env env) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("S3 endpoint is missing");
        }
        URI uri;
        try {
            uri = new URI(endpoint.strip());
        } catch (URISyntaxException e) {
            // The text is not echoed: a mistyped URL may carry credentials.
            throw new IllegalArgumentException("S3 endpoint is not a URL: " + e.getReason());
        }
        S3Credentials credentials =
                explicit(accessKey, secretKey)
                        .or(() -> fromEnvironment(env))
                        .or(() -> fromFile(credentialsFile, env))
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "no S3 credentials: pass an access and secret key,"
                                                        + " set "
                                                        + S3Env.ACCESS_KEY
                                                        + " and "
                                                        + S3Env.SECRET_KEY
                                                        + ", or name a credentials file"
                                                        + " (such as the one `freshet s3`"
                                                        + " writes) with "
                                                        + S3Env.CREDENTIALS_FILE));
        return new S3Settings(uri, bucket, region, credentials);
    }

    private static Optional<S3Credentials> fromEnvironment(S3Env env) {
        Optional<S3Credentials> found = S3Credentials.fromEnvironment(env);
        found.ifPresent(
                c ->
                        LOG.info(
                                "S3 credentials from the environment ({})",
                                env.get(S3Env.ACCESS_KEY).isPresent()
                                        ? S3Env.ACCESS_KEY
                                        : S3Env.AWS_ACCESS_KEY));
        return found;
    }

    private static Optional<S3Credentials> fromFile(Path credentialsFile, S3Env env) {
        Optional<Path> file =
                Optional.ofNullable(credentialsFile)
                        .or(() -> env.get(S3Env.CREDENTIALS_FILE).map(Path::of));
        if (file.isEmpty()) {
            return Optional.empty();
        }
        S3Credentials credentials =
                S3Credentials.readFile(file.get())
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "S3 credentials file "
                                                        + file.get()
                                                        + " does not exist"));
        LOG.info("S3 credentials from {}", file.get());
        return Optional.of(credentials);
    }

    private static Optional<S3Credentials> explicit(String access, String secret) {
        boolean hasAccess = access != null && !access.isBlank();
        boolean hasSecret = secret != null && !secret.isBlank();
        if (hasAccess != hasSecret) {
            throw new IllegalArgumentException(
                    "the given access and secret key: set both or neither");
        }
        return hasAccess ? Optional.of(new S3Credentials(access, secret)) : Optional.empty();
    }

    /** True for a valid S3 bucket name: 3-63 lowercase letters, digits, '.' or '-'. */
    public static boolean isValidBucket(String name) {
        return name != null && BUCKET.matcher(name).matches();
    }

    private static URI checkEndpoint(URI endpoint) {
        if (endpoint == null) {
            throw new IllegalArgumentException("S3 endpoint is missing");
        }
        if (endpoint.getRawUserInfo() != null) {
            // Not echoed: user info may hold a secret. Credentials go in their own settings.
            throw new IllegalArgumentException("S3 endpoint must not contain user info");
        }
        String scheme = endpoint.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException(
                    "S3 endpoint must be http://host[:port] or https://host[:port], got "
                            + endpoint);
        }
        if (endpoint.getHost() == null) {
            throw new IllegalArgumentException("S3 endpoint has no host: " + endpoint);
        }
        String path = endpoint.getPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || endpoint.getQuery() != null) {
            throw new IllegalArgumentException(
                    "S3 endpoint must have no path or query: " + endpoint);
        }
        return URI.create(scheme + "://" + endpoint.getRawAuthority());
    }

    /** The settings with the secret masked. */
    @Override
    public String toString() {
        return "S3Settings[endpoint="
                + endpoint
                + ", bucket="
                + bucket
                + ", region="
                + region
                + ", accessKey="
                + accessKey
                + ", secretKey=****]";
    }
}
