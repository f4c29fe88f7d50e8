package dev.freshet.registry.fuzz;

import static dev.freshet.registry.fuzz.FuzzInputs.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.manifest.Checksums;
import dev.freshet.registry.RegistryConfig;
import dev.freshet.registry.RegistryServer;
import dev.freshet.registry.TestHttp;
import dev.freshet.registry.TestVersions;
import dev.freshet.store.S3ObjectStore;
import dev.freshet.store.S3Settings;
import dev.freshet.testing.S3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry the fuzzers hit: a fresh bucket on S3Proxy with {@code ctr} versions 1 to 4 and
 * {@code feed} version 1, a registry with the write token, and state made the way clients make it:
 * alias {@code ctr/prod} moved 1 then 2, version 4 rejected.
 */
final class FuzzRegistry implements AutoCloseable {

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final S3ObjectStore store;
    private final RegistryServer registry;
    private final TestHttp api;

    private FuzzRegistry(S3ObjectStore store, RegistryServer registry) {
        this.store = store;
        this.registry = registry;
        this.api = new TestHttp(registry.uri(), TOKEN);
    }

    static FuzzRegistry start(S3Server s3) {
        S3ObjectStore store =
                new S3ObjectStore(
                        new S3Settings(
                                URI.create(s3.endpoint()),
                                "registry-fuzz-" + BUCKETS.incrementAndGet(),
                                s3.region(),
                                s3.accessKey(),
                                s3.secretKey()));
        store.ensureBucket();
        for (long v = 1; v <= 4; v++) {
            TestVersions.publish(store, "ctr", v);
        }
        TestVersions.publish(store, "feed", 1);
        FuzzRegistry f;
        try {
            f =
                    new FuzzRegistry(
                            store,
                            RegistryServer.start(
                                    RegistryConfig.defaults()
                                            .withPort(0)
                                            .withToken(TOKEN)
                                            .withRefresh(Duration.ofMillis(200)),
                                    store));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        f.ok(f.api.put("/api/v1/models/ctr/aliases/prod", "{\"version\":1,\"reason\":\"a\"}"));
        f.ok(f.api.put("/api/v1/models/ctr/aliases/prod", "{\"version\":2,\"reason\":\"b\"}"));
        f.ok(f.api.post("/api/v1/models/ctr/versions/4/reject", "{\"reason\":\"bad\"}"));
        return f;
    }

    private void ok(TestHttp.Answer a) {
        assertThat(a.status()).as(a.text()).isEqualTo(200);
    }

    S3ObjectStore store() {
        return store;
    }

    RegistryServer registry() {
        return registry;
    }

    /** A client with the write token. */
    TestHttp api() {
        return api;
    }

    /** Every object in the bucket and the SHA-256 of its bytes. */
    Map<String, String> bucket() {
        Map<String, String> out = new TreeMap<>();
        for (String key : store.list("")) {
            out.put(key, store.get(key).map(Checksums::sha256).orElse("gone"));
        }
        return out;
    }

    @Override
    public void close() {
        registry.close();
        store.close();
    }
}
