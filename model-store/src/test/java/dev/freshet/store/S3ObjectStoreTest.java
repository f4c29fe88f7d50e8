package dev.freshet.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.testing.S3Server;
import dev.freshet.testing.S3ServerExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The store against a real S3 endpoint (S3Proxy in this JVM), through the real MinIO client. */
@ExtendWith(S3ServerExtension.class)
class S3ObjectStoreTest {

    private static final String JSON = "application/json";

    @TempDir Path tmp;

    private final S3Server s3;
    private final S3ObjectStore store;

    S3ObjectStoreTest(S3Server s3) {
        this.s3 = s3;
        this.store = new S3ObjectStore(settings(s3, "models", s3.secretKey()));
    }

    @BeforeEach
    void createBucket() {
        store.ensureBucket();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void putGetExistsDeleteRoundTrip() {
        byte[] data = "{\"auc\": 0.71}".getBytes(UTF_8);

        store.put("models/ctr/versions/1/metrics.json", data, JSON);

        assertThat(store.exists("models/ctr/versions/1/metrics.json")).isTrue();
        assertThat(store.get("models/ctr/versions/1/metrics.json")).contains(data);

        store.put("models/ctr/versions/1/metrics.json", "{}".getBytes(UTF_8), JSON);
        assertThat(store.get("models/ctr/versions/1/metrics.json"))
                .hasValueSatisfying(b -> assertThat(new String(b, UTF_8)).isEqualTo("{}"));

        store.delete("models/ctr/versions/1/metrics.json");
        assertThat(store.exists("models/ctr/versions/1/metrics.json")).isFalse();
        assertThat(store.get("models/ctr/versions/1/metrics.json")).isEmpty();
        // Deleting what is not there is not an error (S3 semantics).
        store.delete("models/ctr/versions/1/metrics.json");
    }

    @Test
    void presignedUrlDownloadsWithoutCredentialsUntilItExpires() throws Exception {
        byte[] data = "weights".getBytes(UTF_8);
        store.put("models/ctr/versions/1/parameters.safetensors", data, "application/octet-stream");
        HttpClient http = HttpClient.newHttpClient();

        URI url =
                store.presignedGet(
                        "models/ctr/versions/1/parameters.safetensors", Duration.ofMinutes(5));
        HttpResponse<byte[]> ok =
                http.send(HttpRequest.newBuilder(url).build(), BodyHandlers.ofByteArray());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo(data);

        // The same key without the signature is refused: the URL is what grants access.
        URI unsigned = URI.create(url.toString().substring(0, url.toString().indexOf('?')));
        HttpResponse<byte[]> refused =
                http.send(HttpRequest.newBuilder(unsigned).build(), BodyHandlers.ofByteArray());
        assertThat(refused.statusCode()).isEqualTo(403);
    }

    @Test
    void emptyObjectsAreObjects() {
        store.put("empty", new byte[0], null);

        assertThat(store.exists("empty")).isTrue();
        assertThat(store.get("empty")).hasValueSatisfying(b -> assertThat(b).isEmpty());
    }

    @Test
    void missingKeysAreEmptyNotErrors() {
        assertThat(store.get("nope")).isEmpty();
        assertThat(store.exists("nope")).isFalse();
        assertThat(store.download("nope", tmp.resolve("nope"))).isFalse();
        assertThat(tmp.resolve("nope")).doesNotExist();
        assertThat(store.list("nope/")).isEmpty();
    }

    @Test
    void uploadsAndDownloadsFilesIncludingMultipartSizes() throws IOException {
        // 12 MiB: above the client's 5 MiB part size, so this is a multipart upload.
        byte[] big = new byte[12 * 1024 * 1024 + 17];
        new Random(42).nextBytes(big);
        Path source = Files.write(tmp.resolve("model.pt"), big);

        store.put("models/ctr/versions/2/model.pt", source, "application/octet-stream");

        Path target = tmp.resolve("restored/deep/model.pt");
        assertThat(store.download("models/ctr/versions/2/model.pt", target)).isTrue();
        assertThat(Files.readAllBytes(target)).isEqualTo(big);
        assertThat(Files.list(target.getParent()))
                .as("no temporary files left behind")
                .containsExactly(target);

        // Downloading again replaces the file.
        store.put("models/ctr/versions/2/model.pt", "small".getBytes(UTF_8), null);
        assertThat(store.download("models/ctr/versions/2/model.pt", target)).isTrue();
        assertThat(Files.readString(target)).isEqualTo("small");
    }

    @Test
    void uploadOfAMissingFileIsNotAnOutage() {
        assertThatThrownBy(() -> store.put("k", tmp.resolve("missing.pt"), null))
                .isInstanceOfSatisfying(
                        ObjectStoreException.class, e -> assertThat(e.unavailable()).isFalse())
                .hasMessageContaining("missing.pt");
    }

    @Test
    void putIfAbsentWinsOnceAndNeverOverwrites() {
        String key = "models/ctr/versions/3/manifest.json";

        assertThat(store.putIfAbsent(key, "first".getBytes(UTF_8), JSON)).isTrue();
        assertThat(store.putIfAbsent(key, "second".getBytes(UTF_8), JSON)).isFalse();

        assertThat(store.get(key))
                .hasValueSatisfying(b -> assertThat(new String(b, UTF_8)).isEqualTo("first"));
    }

    @Test
    void ofEightConcurrentWritersExactlyOneWinsAndItsBytesAreStored() throws Exception {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<S3ObjectStore> stores = new ArrayList<>();
        try {
            // Separate clients, as separate trainer processes would have.
            for (int i = 0; i < writers; i++) {
                stores.add(new S3ObjectStore(settings(s3, "models", s3.secretKey())));
            }
            // Several rounds: each is a fresh race for a fresh key.
            for (int round = 0; round < 10; round++) {
                String key = "models/ctr/versions/" + (100 + round) + "/manifest.json";
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    S3ObjectStore writer = stores.get(i);
                    byte[] payload = ("writer-" + i).getBytes(UTF_8);
                    Callable<Boolean> race =
                            () -> {
                                go.await();
                                return writer.putIfAbsent(key, payload, JSON);
                            };
                    results.add(pool.submit(race));
                }
                go.countDown();
                List<Integer> winners = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    if (results.get(i).get(30, TimeUnit.SECONDS)) {
                        winners.add(i);
                    }
                }

                assertThat(winners).as("winners of round %d", round).hasSize(1);
                assertThat(store.get(key))
                        .hasValueSatisfying(
                                b ->
                                        assertThat(new String(b, UTF_8))
                                                .isEqualTo("writer-" + winners.get(0)));
            }
        } finally {
            pool.shutdownNow();
            stores.forEach(S3ObjectStore::close);
        }
    }

    @Test
    void listReturnsOnlyThePrefixRecursivelyAndSorted() {
        for (String key :
                List.of(
                        "listed/ctr/versions/10/model.pt",
                        "listed/ctr/versions/2/manifest.json",
                        "listed/ctr/versions/2/model.pt",
                        "listed/ctr/versions/1/manifest.json",
                        "listed/ctr-v2/versions/1/manifest.json",
                        "listed/cvr/versions/1/manifest.json",
                        "unlisted/ctr/versions/1/manifest.json")) {
            store.put(key, key.getBytes(UTF_8), null);
        }

        assertThat(store.list("listed/ctr/"))
                .containsExactly(
                        "listed/ctr/versions/1/manifest.json",
                        "listed/ctr/versions/10/model.pt",
                        "listed/ctr/versions/2/manifest.json",
                        "listed/ctr/versions/2/model.pt");
        assertThat(store.list("listed/ctr/versions/2/"))
                .containsExactly(
                        "listed/ctr/versions/2/manifest.json", "listed/ctr/versions/2/model.pt");
        assertThat(store.list("listed/ctr"))
                .as("a prefix, not a directory")
                .hasSize(5)
                .contains("listed/ctr-v2/versions/1/manifest.json");
        assertThat(store.list("")).hasSizeGreaterThanOrEqualTo(7).isSorted();
    }

    @Test
    void listPagesThroughMoreThanOneResponse() {
        // S3 answers at most 1000 keys per response.
        for (int i = 0; i < 1005; i++) {
            store.put(String.format("paged/%04d", i), new byte[] {1}, null);
        }

        List<String> keys = store.list("paged/");

        assertThat(keys).hasSize(1005).isSorted().startsWith("paged/0000").endsWith("paged/1004");
    }

    @Test
    void ensureBucketIsIdempotent() {
        store.ensureBucket();
        store.ensureBucket();

        try (S3ObjectStore other =
                new S3ObjectStore(settings(s3, "fresh-bucket", s3.secretKey()))) {
            other.ensureBucket();
            other.put("k", new byte[] {1}, null);
            assertThat(other.exists("k")).isTrue();
        }
        assertThat(store.exists("k")).as("buckets are separate").isFalse();
    }

    @Test
    void aWrongSecretIsARejectedRequestNotAnOutage() {
        // The secret is random: one starting with "x" made this "wrong" one right (a flake).
        String secret = s3.secretKey();
        String wrong = (secret.charAt(0) == 'x' ? "y" : "x") + secret.substring(1);
        try (S3ObjectStore bad = new S3ObjectStore(settings(s3, "models", wrong))) {
            assertThatThrownBy(() -> bad.put("k", new byte[] {1}, null))
                    .isInstanceOfSatisfying(
                            ObjectStoreException.class, e -> assertThat(e.unavailable()).isFalse())
                    .hasMessageContaining("403")
                    .hasMessageNotContaining(wrong);
            assertThatThrownBy(() -> bad.putIfAbsent("k", new byte[] {1}, null))
                    .isInstanceOfSatisfying(
                            ObjectStoreException.class, e -> assertThat(e.unavailable()).isFalse());
            assertThatThrownBy(() -> bad.get("k"))
                    .isInstanceOfSatisfying(
                            ObjectStoreException.class, e -> assertThat(e.unavailable()).isFalse());
        }
        assertThat(store.exists("k")).isFalse();
    }

    @Test
    void aMissingBucketIsAnErrorNotAnEmptyResult() {
        try (S3ObjectStore noBucket =
                new S3ObjectStore(settings(s3, "no-such-bucket", s3.secretKey()))) {
            assertThatThrownBy(() -> noBucket.get("k"))
                    .isInstanceOfSatisfying(
                            ObjectStoreException.class, e -> assertThat(e.unavailable()).isFalse())
                    .hasMessageContaining("NoSuchBucket");
            assertThatThrownBy(() -> noBucket.list(""))
                    .isInstanceOfSatisfying(
                            ObjectStoreException.class, e -> assertThat(e.unavailable()).isFalse());
        }
    }

    @Test
    void keysMustBeRelative() {
        assertThatThrownBy(() -> store.put("/abs", new byte[0], null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get("")).isInstanceOf(IllegalArgumentException.class);
    }

    static S3Settings settings(S3Server s3, String bucket, String secret) {
        return new S3Settings(
                URI.create(s3.endpoint()), bucket, s3.region(), s3.accessKey(), secret);
    }
}
