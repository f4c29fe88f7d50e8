package dev.freshet.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The container's configuration from environment variables. */
class ServingConfigTest {

    @Test
    void onlyTheRegistryIsRequired() {
        ServingConfig c = ServingConfig.fromEnv(Map.of(ServingEnv.REGISTRY, "http://r:8080"));

        assertThat(c.registry()).isEqualTo(URI.create("http://r:8080"));
        assertThat(c.watcher().model()).isEqualTo("ranking");
        assertThat(c.watcher().alias()).isEqualTo("latest");
        assertThat(c.port()).isEqualTo(8081);
        assertThat(c.maxBodyBytes()).isEqualTo(1 << 20);
    }

    @Test
    void everyVariableApplies() {
        ServingConfig c =
                ServingConfig.fromEnv(
                        Map.of(
                                ServingEnv.REGISTRY, "http://r:1",
                                ServingEnv.MODEL, "m",
                                ServingEnv.ALIAS, "production",
                                ServingEnv.PORT, "9000",
                                ServingEnv.WORK_DIR, "/data/serving",
                                ServingEnv.MAX_BODY_BYTES, "2048"));

        assertThat(c.watcher().model()).isEqualTo("m");
        assertThat(c.watcher().alias()).isEqualTo("production");
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.watcher().workDir()).isEqualTo(Path.of("/data/serving"));
        assertThat(c.maxBodyBytes()).isEqualTo(2048);
    }

    @Test
    void aMissingRegistryOrABadNumberIsNamed() {
        assertThatThrownBy(() -> ServingConfig.fromEnv(Map.of()))
                .hasMessageContaining(ServingEnv.REGISTRY);
        assertThatThrownBy(
                        () ->
                                ServingConfig.fromEnv(
                                        Map.of(
                                                ServingEnv.REGISTRY,
                                                "http://r",
                                                ServingEnv.PORT,
                                                "x")))
                .hasMessageContaining(ServingEnv.PORT);
    }
}
