package dev.freshet.serving.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.manifest.Manifest;
import dev.freshet.serving.RegistryFixture;
import dev.freshet.serving.TestModels;
import dev.freshet.testing.S3Server;
import dev.freshet.testing.S3ServerExtension;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The registry client against the real registry over S3Proxy. */
@ExtendWith(S3ServerExtension.class)
class RegistryClientIT {

    @TempDir Path tmp;

    @Test
    void followsAnAliasAndDownloadsAVersionsFiles(S3Server s3) throws Exception {
        try (RegistryFixture registry = new RegistryFixture(s3, "client")) {
            RegistryClient client = new RegistryClient(registry.uri(), Duration.ofSeconds(5));
            String m = TestModels.MODEL;
            assertThat(client.alias(m, "latest", null, Duration.ZERO).state())
                    .isEqualTo(AliasLookup.State.ABSENT);
            assertThat(client.alias(m, "latest", 0L, Duration.ofMillis(100)).state())
                    .isEqualTo(AliasLookup.State.UNCHANGED);

            // A small version: the registry does not read the files, only the manifest.
            Path dir = Files.createDirectories(tmp.resolve("v"));
            Files.writeString(dir.resolve("a.json"), "{\"a\": 1}");
            Files.write(dir.resolve("b.bin"), new byte[] {1, 2, 3, 4, 5});
            Manifest published = registry.publish(dir, TestModels.manifest(dir, 0));
            registry.register(published);

            assertThat(client.alias(m, "latest", 0L, Duration.ofSeconds(5)))
                    .isEqualTo(new AliasLookup(AliasLookup.State.AT, 1));
            assertThat(client.alias(m, "latest", 1L, Duration.ofMillis(100)).state())
                    .isEqualTo(AliasLookup.State.UNCHANGED);

            Manifest manifest = client.manifest(m, 1);
            assertThat(manifest.version()).isEqualTo(1);
            assertThat(manifest.files()).isEqualTo(published.files());

            List<RemoteFile> files = client.files(m, 1);
            assertThat(files).extracting(RemoteFile::name).containsExactly("a.json", "b.bin");
            RemoteFile b = files.get(1);
            assertThat(b.size()).isEqualTo(5);
            assertThat(b.url()).isNotNull();
            client.download(m, 1, b, tmp.resolve("b-presigned"));
            assertThat(Files.readAllBytes(tmp.resolve("b-presigned")))
                    .containsExactly(1, 2, 3, 4, 5);
            // Without a presigned URL the file comes through the registry.
            client.download(m, 1, new RemoteFile("b.bin", null, -1, null), tmp.resolve("b-via"));
            assertThat(Files.readAllBytes(tmp.resolve("b-via"))).containsExactly(1, 2, 3, 4, 5);

            assertThatThrownBy(() -> client.manifest(m, 99))
                    .isInstanceOfSatisfying(
                            RegistryException.class,
                            e -> {
                                assertThat(e.status()).isEqualTo(404);
                                assertThat(e.unavailable()).isFalse();
                            });
            assertThatThrownBy(
                            () ->
                                    client.download(
                                            m,
                                            1,
                                            new RemoteFile("nope.bin", null, -1, null),
                                            tmp.resolve("nope")))
                    .isInstanceOfSatisfying(
                            RegistryException.class, e -> assertThat(e.status()).isEqualTo(404));
        }
    }

    @Test
    void aRegistryThatIsNotThereIsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RegistryClient client =
                new RegistryClient(URI.create("http://localhost:" + port), Duration.ofSeconds(2));
        assertThatThrownBy(() -> client.alias("m", "latest", 3L, Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e -> {
                            assertThat(e.unavailable()).isTrue();
                            assertThat(e.getMessage()).contains("unreachable");
                        });
    }
}
