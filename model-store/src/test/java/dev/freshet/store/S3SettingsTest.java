package dev.freshet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where credentials come from, in which order, and that secrets never show in text. */
class S3SettingsTest {

    private static final String ENDPOINT = "http://localhost:9000";

    @TempDir Path tmp;

    private static final S3Env FRESHET_AND_AWS =
            S3Env.of(
                    Map.of(
                            S3Env.ACCESS_KEY, "freshet-key",
                            S3Env.SECRET_KEY, "freshet-secret",
                            S3Env.AWS_ACCESS_KEY, "aws-key",
                            S3Env.AWS_SECRET_KEY, "aws-secret"));

    @Test
    void explicitCredentialsComeFirst() {
        S3Settings s =
                S3Settings.resolve(
                        ENDPOINT,
                        "models",
                        null,
                        "given-key",
                        "given-secret",
                        null,
                        FRESHET_AND_AWS);

        assertThat(s.credentials()).isEqualTo(new S3Credentials("given-key", "given-secret"));
    }

    @Test
    void thenTheFreshetVariablesThenTheAwsOnes() {
        assertThat(resolve(FRESHET_AND_AWS, null).accessKey()).isEqualTo("freshet-key");

        S3Env awsOnly =
                S3Env.of(
                        Map.of(
                                S3Env.AWS_ACCESS_KEY,
                                "aws-key",
                                S3Env.AWS_SECRET_KEY,
                                "aws-secret"));
        assertThat(resolve(awsOnly, null).credentials())
                .isEqualTo(new S3Credentials("aws-key", "aws-secret"));
    }

    @Test
    void thenTheCredentialsFileGivenOrNamedInTheEnvironment() {
        Path file = tmp.resolve(".freshet-s3-credentials");
        new S3Credentials("file-key", "file-secret").writeFile(file);

        assertThat(resolve(S3Env.of(Map.of()), file).accessKey()).isEqualTo("file-key");
        assertThat(
                        resolve(S3Env.of(Map.of(S3Env.CREDENTIALS_FILE, file.toString())), null)
                                .accessKey())
                .isEqualTo("file-key");
        // The environment's keys still come before a file.
        assertThat(resolve(FRESHET_AND_AWS, file).accessKey()).isEqualTo("freshet-key");
    }

    @Test
    void noCredentialsAnywhereSaysWhereToPutThem() {
        assertThatThrownBy(() -> resolve(S3Env.of(Map.of()), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(S3Env.ACCESS_KEY)
                .hasMessageContaining(S3Env.CREDENTIALS_FILE);
        assertThatThrownBy(() -> resolve(S3Env.of(Map.of()), tmp.resolve("absent")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void halfAPairIsAnErrorNotAFallThrough() {
        assertThatThrownBy(
                        () ->
                                S3Settings.resolve(
                                        ENDPOINT,
                                        "models",
                                        null,
                                        "key",
                                        null,
                                        null,
                                        FRESHET_AND_AWS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both or neither");
        assertThatThrownBy(() -> resolve(S3Env.of(Map.of(S3Env.ACCESS_KEY, "key")), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(S3Env.SECRET_KEY);
    }

    @Test
    void aFileWithoutBothKeysIsRejected() throws Exception {
        Path file = Files.writeString(tmp.resolve("creds"), "access_key=only\n");

        assertThatThrownBy(() -> resolve(S3Env.of(Map.of()), file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("secret_key");
    }

    @Test
    void regionDefaultsToUsEast1AndEndpointIsNormalised() {
        S3Settings s = resolve(FRESHET_AND_AWS, null);

        assertThat(s.region()).isEqualTo("us-east-1");
        assertThat(
                        S3Settings.resolve(
                                        "https://s3.example.com/",
                                        "models",
                                        "eu-west-1",
                                        null,
                                        null,
                                        null,
                                        FRESHET_AND_AWS)
                                .endpoint())
                .isEqualTo(URI.create("https://s3.example.com"));
    }

    @Test
    void badEndpointsAndBucketsAreRejected() {
        for (String bad :
                new String[] {
                    "localhost:9000", "ftp://h", "http://h:9000/bucket", "http://h?x=1"
                }) {
            assertThatThrownBy(
                            () ->
                                    S3Settings.resolve(
                                            bad, "models", null, null, null, null, FRESHET_AND_AWS))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(
                        () ->
                                S3Settings.resolve(
                                        ENDPOINT,
                                        "Models_1",
                                        null,
                                        null,
                                        null,
                                        null,
                                        FRESHET_AND_AWS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bucket");
    }

    @Test
    void userInfoInTheEndpointIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(
                        () ->
                                S3Settings.resolve(
                                        "http://key:topsecret@localhost:9000",
                                        "models",
                                        null,
                                        null,
                                        null,
                                        null,
                                        FRESHET_AND_AWS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("topsecret");
    }

    @Test
    void toStringNeverShowsTheSecret() {
        S3Settings s = resolve(FRESHET_AND_AWS, null);

        assertThat(s.toString())
                .contains("freshet-key", "localhost:9000", "models")
                .doesNotContain("freshet-secret");
        assertThat(s.credentials().toString()).doesNotContain("freshet-secret");
    }

    @Test
    void theCredentialsFileIsWrittenOwnerOnlyAndReadBack() throws Exception {
        Path file = tmp.resolve("sub/.freshet-s3-credentials");
        S3Credentials generated = S3Credentials.generate();

        generated.writeFile(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(S3Credentials.readFile(file)).contains(generated);
        assertThat(S3Credentials.readFile(tmp.resolve("none"))).isEmpty();
        assertThat(generated.accessKey()).hasSize(20);
        assertThat(generated.secretKey())
                .hasSize(40)
                .isNotEqualTo(S3Credentials.generate().secretKey());
        assertThat(Files.list(file.getParent())).containsExactly(file);
    }

    private static S3Settings resolve(S3Env env, Path file) {
        return S3Settings.resolve(ENDPOINT, "models", null, null, null, file, env);
    }
}
