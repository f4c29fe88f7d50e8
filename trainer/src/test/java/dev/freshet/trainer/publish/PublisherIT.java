package dev.freshet.trainer.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.manifest.Checksums;
import dev.freshet.manifest.Manifest;
import dev.freshet.store.S3ObjectStore;
import dev.freshet.store.S3Settings;
import dev.freshet.testing.S3Server;
import dev.freshet.testing.S3ServerExtension;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Version allocation by conditional writes, against a real S3 server (S3Proxy). */
@ExtendWith(S3ServerExtension.class)
class PublisherIT {

    @Test
    void racingPublishersNeverShareAVersionAndLeftoversAreSkipped(S3Server s3, @TempDir Path dir)
            throws Exception {
        s3.createBucket("race");
        Files.writeString(dir.resolve("a.bin"), "payload");
        try (S3ObjectStore store = store(s3, "race")) {
            // Leftovers of a trainer killed mid-upload: files of version 1, no manifest.
            store.put("models/m/versions/1/a.bin", new byte[] {9}, "application/octet-stream");
            Publisher publisher = new Publisher(store, "m");
            assertThat(publisher.versions()).isEmpty();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Manifest>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String candidate = "c" + i;
                results.add(
                        pool.submit(
                                () -> {
                                    try (S3ObjectStore own = store(s3, "race")) {
                                        return new Publisher(own, "m")
                                                .publish(
                                                        dir,
                                                        List.of("a.bin"),
                                                        manifest(dir, candidate));
                                    }
                                }));
            }
            List<Long> versions = new ArrayList<>();
            for (Future<Manifest> f : results) {
                versions.add(f.get().version());
            }
            pool.shutdown();
            assertThat(versions).doesNotHaveDuplicates().allMatch(v -> v >= 2);
            assertThat(publisher.versions()).hasSize(6).doesNotContain(1L);
            Manifest newest = publisher.newest().orElseThrow();
            assertThat(newest.version()).isEqualTo(publisher.versions().get(5));
            Path back = dir.resolve("back");
            publisher.download(newest, back);
            assertThat(Files.readString(back.resolve("a.bin"))).isEqualTo("payload");
        }
    }

    @Test
    void aDownloadWithAWrongChecksumFails(S3Server s3, @TempDir Path dir) throws Exception {
        s3.createBucket("checksum");
        Files.writeString(dir.resolve("a.bin"), "payload");
        try (S3ObjectStore store = store(s3, "checksum")) {
            Publisher publisher = new Publisher(store, "m");
            Manifest published = publisher.publish(dir, List.of("a.bin"), manifest(dir, "c"));
            // Corrupt the object behind the manifest's back.
            store.put(
                    "models/m/versions/" + published.version() + "/a.bin",
                    "tampered".getBytes(),
                    "application/octet-stream");
            assertThatThrownBy(() -> publisher.download(published, dir.resolve("back")))
                    .hasMessageContaining("sha256");
        }
    }

    static Manifest manifest(Path dir, String candidate) throws Exception {
        Path f = dir.resolve("a.bin");
        return new Manifest(
                Manifest.FORMAT,
                "m",
                0,
                candidate,
                "2026-11-23T00:00:00Z",
                null,
                List.of(new Manifest.FileEntry("a.bin", Checksums.sha256(f), Files.size(f))),
                new Manifest.Lineage(
                        "samples",
                        Map.of(0, 10L),
                        Manifest.Counts.ZERO,
                        Manifest.Counts.ZERO,
                        null,
                        null,
                        "spec",
                        "hash",
                        0),
                List.of(),
                Map.of(),
                null);
    }

    static S3ObjectStore store(S3Server s3, String bucket) {
        return new S3ObjectStore(
                new S3Settings(
                        URI.create(s3.endpoint()),
                        bucket,
                        s3.region(),
                        s3.accessKey(),
                        s3.secretKey()));
    }
}
