package dev.freshet.cli.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.freshet.cli.FreshetCli;
import dev.freshet.flink.config.PipelineConfig;
import dev.freshet.flink.config.PipelineConfigFile;
import dev.freshet.simulator.SimulatedFeatures;
import dev.freshet.testing.Checkout;
import dev.freshet.trainer.service.TrainerConfigFile;
import dev.freshet.trainer.service.TrainerServiceConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml read as a file (no docker-compose needed): pinned or locally built images,
 * freshet commands the CLI accepts, environment the code reads, healthchecks and ordering.
 */
class ComposeFileTest {

    /** What the file requires from the environment: the registry token, and nothing else. */
    static final Map<String, String> ENV = Map.of("FRESHET_REGISTRY_TOKEN", "compose-test-token");

    private static final Set<String> CONDITIONS =
            Set.of("service_started", "service_healthy", "service_completed_successfully");

    private final ComposeFile compose = ComposeFile.load(ENV);
    private final Dockerfile dockerfile = Dockerfile.parse(Checkout.read(DockerfileTest.PATH));

    @Test
    void everyImageIsPinnedOrBuiltFromThisCheckout() {
        for (String s : compose.services().keySet()) {
            Map<String, Object> build = compose.build(s);
            if (build.isEmpty()) {
                ImageRefs.assertPinned(String.valueOf(compose.service(s).get("image")));
                continue;
            }
            Path context = Checkout.ROOT.resolve(String.valueOf(build.get("context")));
            Object file = build.getOrDefault("dockerfile", "Dockerfile");
            assertThat(context.resolve(String.valueOf(file))).as("Dockerfile of %s", s).exists();
            assertThat(context.resolve(String.valueOf(file)).normalize())
                    .isEqualTo(Checkout.ROOT.resolve(DockerfileTest.PATH));
            assertThat(dockerfile.stage(String.valueOf(build.get("target"))))
                    .as("target %s of %s", build.get("target"), s)
                    .isPresent();
            ImageRefs.assertPinned(String.valueOf(compose.service(s).get("image")));
        }
    }

    @Test
    void infrastructureImagesMatchThePomsVersions() {
        assertThat(ImageRefs.tag((String) compose.service("kafka").get("image")))
                .isEqualTo(RepoFiles.pomProperty("kafka.version"));
        assertThat(dockerfile.stage("flink-job").orElseThrow().from())
                .startsWith("flink:" + RepoFiles.pomProperty("flink.version") + "-")
                .endsWith("-java17");
    }

    @Test
    void freshetCommandsAreOnesTheCliAccepts() {
        Set<String> subcommands = FreshetCli.commandLine().getSubcommands().keySet();
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (String s : compose.services().keySet()) {
            if (!"freshet".equals(compose.build(s).get("target"))) {
                continue;
            }
            List<String> args = compose.command(s);
            if (!subcommands.contains(args.get(0))) {
                missing.add(s + ": freshet " + args.get(0));
                continue;
            }
            checked++;
            assertThatCode(() -> FreshetCli.commandLine().parseArgs(args.toArray(String[]::new)))
                    .as("service %s: freshet %s", s, String.join(" ", args))
                    .doesNotThrowAnyException();
        }
        assertThat(checked).isGreaterThanOrEqualTo(3);
        assumeThat(missing)
                .as("commands not in this build's FreshetCli, so not checked yet")
                .isEmpty();
    }

    @Test
    void theTrainersRunWithTheConfigTheImageCarries() {
        for (String trainer : List.of("trainer", "trainer-gpu")) {
            List<String> args = compose.command(trainer);
            String config = args.get(args.indexOf("--config") + 1);
            String copied =
                    dockerfile.stage("freshet").orElseThrow().all("COPY").stream()
                            .filter(c -> c.endsWith(" " + config))
                            .findFirst()
                            .orElseThrow(
                                    () -> new AssertionError("freshet image has no " + config));
            String source = copied.split("\\s+")[copied.split("\\s+").length - 2];

            TrainerServiceConfig loaded =
                    TrainerConfigFile.load(Checkout.ROOT.resolve(source), Path.of("state"));

            // Every task the simulator's engagements feed.
            assertThat(loaded.model().taskNames()).containsExactly("click", "save", "hide", "pay");
        }
    }

    @Test
    void theFlinkJobRunsWithTheConfigTheImageCarries() {
        List<String> args = compose.command("jobmanager");
        assertThat(args).startsWith("standalone-job", "--job-classname");
        String config = args.get(args.indexOf("--config") + 1);
        String copied =
                dockerfile.stage("flink-job").orElseThrow().all("COPY").stream()
                        .filter(c -> c.endsWith(" " + config))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("flink-job image has no " + config));
        String source = copied.split("\\s+")[copied.split("\\s+").length - 2];

        PipelineConfig loaded =
                PipelineConfigFile.load(
                        Checkout.ROOT.resolve(source), PipelineConfig.defaults("kafka:19092"));

        assertThat(loaded.stateBackend()).isEqualTo("rocksdb");
        // The job processes exactly the features the simulator service logs.
        assertThat(loaded.features()).isEqualTo(SimulatedFeatures.featureConfig());
        String checkpoints = loaded.checkpointDir().toString();
        for (String flink : List.of("jobmanager", "taskmanager")) {
            assertThat(compose.volumes(flink))
                    .as("%s mounts the checkpoint directory from a named volume", flink)
                    .anySatisfy(v -> assertThat(v).endsWith(":" + checkpoints));
        }
    }

    @Test
    void everyFreshetVariableItSetsIsReadByTheCode() {
        Set<String> variables = new TreeSet<>();
        compose.services().keySet().forEach(s -> variables.addAll(compose.environment(s).keySet()));
        variables.removeIf(v -> !v.startsWith("FRESHET_"));

        assertThat(variables).isNotEmpty();
        assertThat(variables)
                .allSatisfy(
                        v ->
                                assertThat(Checkout.mainSourcesContain("\"" + v + "\""))
                                        .as("%s is read in some */src/main", v)
                                        .isTrue());
    }

    @Test
    void everyVariableItTakesFromTheEnvironmentIsDocumented() {
        String docs = Checkout.read("docs/DOCKER.md");
        Matcher m =
                Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)")
                        .matcher(Checkout.read("docker-compose.yml"));
        while (m.find()) {
            assertThat(docs).as("docs/DOCKER.md mentions %s", m.group(1)).contains(m.group(1));
        }
    }

    @Test
    void theRegistryTokenHasNoDefault() {
        String text = Checkout.read("docker-compose.yml");
        assertThatThrownBy(() -> RepoFiles.interpolate(text, Map.of()))
                .hasMessageStartingWith("FRESHET_REGISTRY_TOKEN");
        assertThat(compose.environment("registry").get("FRESHET_REGISTRY_TOKEN"))
                .isEqualTo(ENV.get("FRESHET_REGISTRY_TOKEN"));
    }

    @Test
    void everyLongRunningServiceHasAHealthcheck() {
        Set<String> oneShots = compose.oneShots();
        assertThat(oneShots).containsExactly("minio-init");
        for (String s : compose.services().keySet()) {
            if (oneShots.contains(s)) {
                assertThat(compose.service(s).get("restart"))
                        .as("restart of %s", s)
                        .isEqualTo("no");
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> healthcheck =
                    (Map<String, Object>) compose.service(s).get("healthcheck");
            assertThat(healthcheck).as("healthcheck of %s", s).isNotNull().containsKey("test");
            assertThat(healthcheck.get("disable")).as("healthcheck of %s", s).isNotEqualTo(true);
        }
    }

    @Test
    void everyDependencyNamesAConditionItCanMeet() {
        for (String s : compose.services().keySet()) {
            compose.dependsOn(s)
                    .forEach(
                            (dep, condition) -> {
                                assertThat(compose.services())
                                        .as("%s -> %s", s, dep)
                                        .containsKey(dep);
                                assertThat(condition).as("%s -> %s", s, dep).isIn(CONDITIONS);
                                if (condition.equals("service_healthy")) {
                                    assertThat(compose.service(dep)).containsKey("healthcheck");
                                }
                            });
        }
    }

    @Test
    void theGpuTrainerReservesAnNvidiaGpuBehindAProfile() {
        assertThat(compose.profiles("trainer-gpu")).contains("gpu");
        assertThat(compose.gpuDrivers("trainer-gpu")).containsExactly("nvidia");
        assertThat(compose.command("trainer-gpu")).containsSequence("--device", "gpu");
        Map<?, ?> args = (Map<?, ?>) compose.build("trainer-gpu").get("args");
        assertThat(String.valueOf(args.get("PYTORCH_FLAVOR"))).startsWith("cu");

        assertThat(compose.profiles("trainer")).isEmpty();
        assertThat(compose.gpuDrivers("trainer")).isEmpty();
        assertThat(compose.command("trainer")).doesNotContain("gpu");
    }

    @Test
    void namedVolumesAreDeclared() {
        Set<String> declared =
                ((Map<?, ?>) compose.root().get("volumes"))
                        .keySet().stream()
                                .map(String::valueOf)
                                .collect(java.util.stream.Collectors.toSet());
        for (String s : compose.services().keySet()) {
            for (String v : compose.volumes(s)) {
                String source = v.split(":")[0];
                assertThat(source)
                        .as("volume of %s is a named one", s)
                        .doesNotStartWith(".")
                        .doesNotStartWith("/");
                assertThat(declared).as("volume %s of %s", source, s).contains(source);
            }
        }
    }
}
