package dev.freshet.trainer.service;

import dev.freshet.store.ObjectStore;
import dev.freshet.store.S3ObjectStore;
import dev.freshet.store.S3Settings;
import dev.freshet.testing.S3Server;
import java.net.URI;
import java.time.Duration;

/** A real S3 client on the test's S3Proxy, with short timeouts so outages show quickly. */
final class TestStores {

    private TestStores() {}

    static ObjectStore connect(S3Server s3, String bucket) {
        return new S3ObjectStore(
                new S3Settings(
                        URI.create(s3.endpoint()),
                        bucket,
                        s3.region(),
                        s3.accessKey(),
                        s3.secretKey()),
                Duration.ofSeconds(2),
                Duration.ofSeconds(10));
    }
}
