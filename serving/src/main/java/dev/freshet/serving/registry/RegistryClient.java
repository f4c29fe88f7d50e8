package dev.freshet.serving.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.ManifestJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's read API ({@code docs/REGISTRY.md}) as serving needs it: follow an alias by
 * long-poll, read a version's manifest, list and download its files. Every call has a timeout and
 * fails with a {@link RegistryException}; nothing here retries, the caller decides.
 *
 * <p>Thread-safe.
 */
public final class RegistryClient {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryClient.class);

    /** How long a long-poll may run past its {@code wait} before it counts as a timeout. */
    static final Duration LONG_POLL_GRACE = Duration.ofSeconds(10);

    /** The shortest long-poll asked for, so a retry that is due now cannot spin. */
    static final Duration MIN_WAIT = Duration.ofMillis(100);

    private static final ObjectMapper JSON = ManifestJson.mapper();

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param registry the registry's base URL, e.g. {@code http://registry:8080}
     * @param timeout connect timeout and the timeout of every call but the long-poll's wait
     */
    public RegistryClient(URI registry, Duration timeout) {
        String s = Objects.requireNonNull(registry, "registry").toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.timeout = timeout;
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
    }

    public URI uri() {
        return base;
    }

    /**
     * Where alias {@code alias} of {@code model} points. With {@code after} set (0: the alias does
     * not exist yet), the registry holds the request until the alias is somewhere else or {@code
     * wait} passes ({@link AliasLookup.State#UNCHANGED}).
     */
    public AliasLookup alias(String model, String alias, Long after, Duration wait)
            throws RegistryException {
        String path = "api/v1/models/" + model + "/aliases/" + alias;
        Duration callTimeout = timeout;
        if (after != null) {
            long millis = Math.max(MIN_WAIT.toMillis(), wait.toMillis());
            path += "?after=" + after + "&wait=" + millis + "ms";
            callTimeout = Duration.ofMillis(millis).plus(LONG_POLL_GRACE).plus(timeout);
        }
        String what = "alias " + model + "/" + alias;
        HttpResponse<byte[]> r = send(get(path, callTimeout), what);
        return switch (r.statusCode()) {
            case 200 -> {
                JsonNode body = json(r, what);
                JsonNode v = body.get("version");
                if (v == null || !v.canConvertToLong()) {
                    if (v == null || v.isNull()) {
                        // An alias that was deleted answers with no version: nothing to serve.
                        yield new AliasLookup(AliasLookup.State.ABSENT, 0);
                    }
                    throw RegistryException.unreadable(
                            what, new IOException("no integer version in " + body));
                }
                yield new AliasLookup(AliasLookup.State.AT, v.asLong());
            }
            case 304 -> new AliasLookup(AliasLookup.State.UNCHANGED, after == null ? 0 : after);
            case 404 -> new AliasLookup(AliasLookup.State.ABSENT, 0);
            default -> throw RegistryException.status(what, r.statusCode(), text(r));
        };
    }

    /** The manifest of {@code version}, as the registry serves it under {@code "manifest"}. */
    public Manifest manifest(String model, long version) throws RegistryException {
        String what = "version " + model + "/" + version;
        HttpResponse<byte[]> r = ok(get(versionPath(model, version), timeout), what);
        JsonNode manifest = json(r, what).get("manifest");
        if (manifest == null || !manifest.isObject()) {
            throw RegistryException.unreadable(what, new IOException("no \"manifest\" object"));
        }
        try {
            return JSON.treeToValue(manifest, Manifest.class);
        } catch (IOException e) {
            throw RegistryException.unreadable(what, e);
        }
    }

    /** The files of {@code version} with their presigned download URLs. */
    public List<RemoteFile> files(String model, long version) throws RegistryException {
        String what = "files of " + model + "/" + version;
        JsonNode body = json(ok(get(versionPath(model, version) + "/files", timeout), what), what);
        JsonNode list = body.isArray() ? body : body.get("files");
        if (list == null || !list.isArray()) {
            throw RegistryException.unreadable(what, new IOException("no \"files\" list"));
        }
        List<RemoteFile> out = new ArrayList<>();
        for (JsonNode f : list) {
            URI url = presigned(f.path("url").asText(null));
            out.add(
                    new RemoteFile(
                            f.path("name").asText(),
                            f.path("sha256").asText(null),
                            f.has("size") ? f.path("size").asLong(-1) : f.path("bytes").asLong(-1),
                            url));
        }
        return out;
    }

    /** A usable presigned URL, or null (then the file is fetched through the registry). */
    private static URI presigned(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(url);
            return uri.isAbsolute() ? uri : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Downloads {@code file} of {@code version} to {@code target}: from its presigned URL when it
     * has one, else (or when that fails) streamed through the registry.
     */
    public void download(String model, long version, RemoteFile file, Path target)
            throws RegistryException {
        String what = "file " + file.name() + " of " + model + "/" + version;
        if (file.url() != null) {
            try {
                fetch(HttpRequest.newBuilder(file.url()).timeout(timeout).GET().build(), target);
                return;
            } catch (RegistryException | IllegalArgumentException e) {
                LOG.warn(
                        "Presigned download of {} failed ({}); via the registry",
                        what,
                        e.getMessage());
            }
        }
        fetch(get(versionPath(model, version) + "/files/" + file.name(), timeout), target);
    }

    private void fetch(HttpRequest request, Path target) throws RegistryException {
        String what = "GET " + request.uri().getPath();
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        try {
            HttpResponse<InputStream> r =
                    http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() != 200) {
                    String body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
                    throw RegistryException.status(what, r.statusCode(), body);
                }
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw RegistryException.unreachable(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.unreachable(what, e);
        }
    }

    private static String versionPath(String model, long version) {
        return "api/v1/models/" + model + "/versions/" + version;
    }

    private HttpRequest get(String path, Duration callTimeout) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(callTimeout)
                .header("Accept", "application/json")
                .GET()
                .build();
    }

    private HttpResponse<byte[]> send(HttpRequest request, String what) throws RegistryException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw RegistryException.unreachable(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.unreachable(what, e);
        }
    }

    private HttpResponse<byte[]> ok(HttpRequest request, String what) throws RegistryException {
        HttpResponse<byte[]> r = send(request, what);
        if (r.statusCode() != 200) {
            throw RegistryException.status(what, r.statusCode(), text(r));
        }
        return r;
    }

    private static JsonNode json(HttpResponse<byte[]> r, String what) throws RegistryException {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw RegistryException.unreadable(what, e);
        }
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
