package dev.freshet.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.testing.S3Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that is down or does not answer is reported as unavailable, so callers retry. */
class S3ObjectStoreOutageTest {

    @TempDir Path tmp;

    @Test
    void aStoppedServerIsUnavailableAndServesAgainAfterARestart() {
        try (S3Server s3 = S3Server.startOnFreePort()) {
            s3.createBucket("models");
            try (S3ObjectStore store =
                    new S3ObjectStore(S3ObjectStoreTest.settings(s3, "models", s3.secretKey()))) {
                store.put("kept", "v1".getBytes(UTF_8), null);

                s3.stop();

                assertUnavailable(() -> store.put("k", new byte[] {1}, null));
                assertUnavailable(() -> store.putIfAbsent("k", new byte[] {1}, null));
                assertUnavailable(() -> store.get("kept"));
                assertUnavailable(() -> store.exists("kept"));
                assertUnavailable(() -> store.list(""));
                assertUnavailable(() -> store.delete("kept"));
                assertUnavailable(() -> store.download("kept", tmp.resolve("kept")));
                assertUnavailable(store::ensureBucket);

                s3.start();

                assertThat(store.get("kept"))
                        .hasValueSatisfying(b -> assertThat(new String(b, UTF_8)).isEqualTo("v1"));
                assertThat(store.putIfAbsent("k", new byte[] {1}, null)).isTrue();
            }
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutAsUnavailable() throws IOException {
        // Accepts connections and reads nothing back: the read timeout must end the request.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor =
                    new Thread(
                            () -> {
                                try {
                                    while (true) {
                                        accepted.add(silent.accept());
                                    }
                                } catch (IOException e) {
                                    // closed
                                }
                            },
                            "silent-s3");
            acceptor.setDaemon(true);
            acceptor.start();
            S3Settings settings =
                    new S3Settings(
                            URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                            "models",
                            null,
                            "AKIDEXAMPLE",
                            "not-a-real-secret");
            try (S3ObjectStore store =
                    new S3ObjectStore(settings, Duration.ofSeconds(2), Duration.ofMillis(500))) {
                assertUnavailable(() -> store.get("k"));
                assertUnavailable(() -> store.putIfAbsent("k", new byte[] {1}, null));
            }
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    private static void assertUnavailable(ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        ObjectStoreException.class,
                        e ->
                                assertThat(e.unavailable())
                                        .as("unavailable() for: %s", e.getMessage())
                                        .isTrue());
    }
}
