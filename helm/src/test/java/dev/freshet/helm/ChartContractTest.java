package dev.freshet.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.freshet.cli.FreshetCli;
import dev.freshet.registry.RegistryMain;
import dev.freshet.registry.RegistryToken;
import dev.freshet.store.S3Env;
import dev.freshet.testing.Checkout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the rendered chart promises about the code it runs: commands, variables, probes, images. */
class ChartContractTest {

    private static final Rendered DEFAULTS = Rendered.defaults();
    private static final Rendered NON_DEFAULT = Rendered.nonDefault();

    static Stream<Rendered> both() {
        return Stream.of(DEFAULTS, NON_DEFAULT);
    }

    @Test
    void theTrainerRequestsGpusOnlyWhenGpuIsOn() {
        Container gpu = NON_DEFAULT.container("trainer");
        assertThat(gpu.getResources().getLimits())
                .containsEntry("nvidia.com/gpu", new Quantity("2"));
        assertThat(gpu.getResources().getRequests())
                .containsEntry("nvidia.com/gpu", new Quantity("2"));
        assertThat(gpu.getArgs()).containsSequence("--device", "gpu");
        PodSpec pod = NON_DEFAULT.podSpec("trainer");
        assertThat(pod.getNodeSelector())
                .containsEntry("nvidia.com/gpu.present", "true")
                .containsEntry("pool", "training");
        assertThat(pod.getTolerations()).extracting(Toleration::getKey).contains("nvidia.com/gpu");

        Container cpu = DEFAULTS.container("trainer");
        assertThat(cpu.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        assertThat(cpu.getResources().getRequests()).doesNotContainKey("nvidia.com/gpu");
        assertThat(cpu.getArgs()).doesNotContain("--device", "gpu");
        assertThat(DEFAULTS.podSpec("trainer").getNodeSelector()).isNullOrEmpty();
        assertThat(DEFAULTS.podSpec("trainer").getTolerations()).isNullOrEmpty();
    }

    @Test
    void probesHitThePathsTheServicesServe() {
        for (String component : List.of("registry", "trainer", "serving")) {
            Container c = NON_DEFAULT.container(component);
            assertThat(path(c.getLivenessProbe()))
                    .as("%s liveness", component)
                    .isEqualTo("/healthz");
            assertThat(path(c.getReadinessProbe()))
                    .as("%s readiness", component)
                    .isEqualTo("/readyz");
            assertThat(path(c.getStartupProbe())).as("%s startup", component).isEqualTo("/healthz");
            assertThat(c.getPorts())
                    .as("%s probes a port it names", component)
                    .anySatisfy(
                            p ->
                                    assertThat(p.getName())
                                            .isEqualTo(
                                                    c.getLivenessProbe()
                                                            .getHttpGet()
                                                            .getPort()
                                                            .getStrVal()));
        }
        // The code serves these paths: the registry's router, the trainer's metrics server and the
        // replica's server all name them.
        for (String path : List.of("\"/healthz\"", "\"/readyz\"", "\"/metrics\"")) {
            assertThat(Checkout.mainSourcesContain(path)).as(path).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("both")
    void everySecretKeyRefNamesASecretTheChartRendersOrTheOneGiven(Rendered r) {
        Set<String> rendered = new TreeSet<>();
        r.all(Secret.class).forEach(s -> rendered.add(s.getMetadata().getName()));
        Set<String> allowed = new TreeSet<>(rendered);
        if (r == NON_DEFAULT) {
            allowed.addAll(List.of("freshet-s3", "freshet-registry-token"));
            assertThat(rendered).isEmpty();
        }
        List<EnvVar> refs =
                r.allContainers().stream()
                        .flatMap(c -> c.getEnv().stream())
                        .filter(e -> e.getValueFrom() != null)
                        .toList();
        assertThat(refs).hasSizeGreaterThanOrEqualTo(6);
        for (EnvVar e : refs) {
            var ref = e.getValueFrom().getSecretKeyRef();
            assertThat(ref.getName()).as(e.getName()).isIn(allowed);
            r.all(Secret.class).stream()
                    .filter(s -> s.getMetadata().getName().equals(ref.getName()))
                    .forEach(
                            s ->
                                    assertThat(s.getStringData())
                                            .as("%s: key %s", e.getName(), ref.getKey())
                                            .containsKey(ref.getKey()));
        }
        if (r == NON_DEFAULT) {
            assertThat(refs)
                    .extracting(e -> e.getValueFrom().getSecretKeyRef().getKey())
                    .contains("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "write-token");
        }
    }

    @ParameterizedTest
    @MethodSource("both")
    void everyFreshetCommandParsesWithTheRealCli(Rendered r) {
        int checked = 0;
        for (PodSpec pod : r.podSpecs().values()) {
            Container c = pod.getContainers().get(0);
            if (c.getImage().contains("freshet/freshet:")) {
                String[] args = c.getArgs().toArray(String[]::new);
                assertThat(FreshetCli.commandLine().getSubcommands()).containsKey(args[0]);
                assertThatCode(() -> FreshetCli.commandLine().parseArgs(args))
                        .as("freshet %s", String.join(" ", args))
                        .doesNotThrowAnyException();
                checked++;
            }
        }
        assertThat(checked).isEqualTo(r == NON_DEFAULT ? 2 : 1);
    }

    @ParameterizedTest
    @MethodSource("both")
    void everyFreshetVariableItSetsIsReadByTheCode(Rendered r) {
        Set<String> variables = new TreeSet<>();
        r.allContainers().forEach(c -> c.getEnv().forEach(e -> variables.add(e.getName())));
        variables.removeIf(v -> !v.startsWith("FRESHET_"));

        assertThat(variables)
                .contains(
                        RegistryMain.ENDPOINT,
                        RegistryMain.BUCKET,
                        RegistryMain.PORT,
                        RegistryToken.TOKEN,
                        S3Env.ACCESS_KEY,
                        S3Env.SECRET_KEY);
        assertThat(variables)
                .allSatisfy(
                        v ->
                                assertThat(Checkout.mainSourcesContain("\"" + v + "\""))
                                        .as("%s is read in some */src/main", v)
                                        .isTrue());
    }

    @Test
    void theFlinkJobIsTheLabelJoinJarOnS3WithSavepointUpgrades() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> spec =
                (Map<String, Object>)
                        DEFAULTS.flinkDeployment().getAdditionalProperties().get("spec");
        @SuppressWarnings("unchecked")
        Map<String, Object> job = (Map<String, Object>) spec.get("job");
        assertThat(job)
                .containsEntry("jarURI", "local:///opt/flink/usrlib/freshet-flink-jobs-job.jar")
                .containsEntry("entryClass", "dev.freshet.flink.join.LabelJoinMain")
                .containsEntry("upgradeMode", "savepoint")
                .containsEntry("parallelism", 2)
                .containsEntry(
                        "args",
                        List.of(
                                "--bootstrap-servers",
                                "kafka.kafka:9092",
                                "--config",
                                "/opt/flink/freshet/pipeline.yaml"));
        Class.forName((String) job.get("entryClass"));
        // The Dockerfile puts the jar and the config where the spec says.
        String dockerfile = Checkout.read("docker/Dockerfile");
        assertThat(dockerfile)
                .contains("/opt/flink/usrlib/")
                .contains("freshet-flink-jobs-job.jar")
                .contains("/opt/flink/freshet/pipeline.yaml");
        assertThat((Map<String, Object>) castMap(spec.get("flinkConfiguration")))
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.dir", "s3://freshet/flink/checkpoints")
                .containsEntry(
                        "execution.checkpointing.savepoint-dir", "s3://freshet/flink/savepoints")
                .containsEntry("s3.endpoint", "http://minio.minio:9000");
    }

    @ParameterizedTest
    @MethodSource("both")
    void imagesAreTheDockerfilesTargetsWithTheConfiguredRegistryAndTag(Rendered r) {
        List<String> targets = RepoFiles.dockerfileTargets();
        String prefix = r == NON_DEFAULT ? "registry.example.com/ml/freshet/" : "freshet/";
        String tag = r == NON_DEFAULT ? ":1.2.3" : ":0.1.0";
        Map<String, String> expected =
                Map.of("registry", "registry", "trainer", "freshet", "serving", "freshet");
        r.podSpecs()
                .forEach(
                        (component, pod) -> {
                            String target = expected.get(component);
                            assertThat(targets).contains(target);
                            assertThat(pod.getContainers().get(0).getImage())
                                    .isEqualTo(prefix + target + tag);
                        });
        assertThat(targets).contains("flink-job");
        assertThat(r.flinkDeployment().getAdditionalProperties().get("spec"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("image", prefix + "flink-job" + tag);
    }

    @ParameterizedTest
    @MethodSource("both")
    void everyContainerRunsAsNonRootWithoutCapabilities(Rendered r) {
        for (Map.Entry<String, PodSpec> e : r.podSpecs().entrySet()) {
            PodSpec pod = e.getValue();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(e.getKey()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).as(e.getKey()).isEqualTo(10001L);
            for (Container c : pod.getContainers()) {
                assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
                assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
                assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                assertThat(c.getSecurityContext().getCapabilities().getDrop())
                        .containsExactly("ALL");
                assertThat(c.getSecurityContext().getSeccompProfile().getType())
                        .isEqualTo("RuntimeDefault");
                assertThat(c.getVolumeMounts())
                        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
            }
        }
        PodSpec flink = r.flinkPodSpec();
        assertThat(flink.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(flink.getSecurityContext().getRunAsUser()).isEqualTo(9999L);
        assertThat(flink.getContainers().get(0).getSecurityContext().getCapabilities().getDrop())
                .containsExactly("ALL");
    }

    @Test
    void theRegistryAutoscalesWithTheGivenSettings() {
        HorizontalPodAutoscaler hpa = NON_DEFAULT.all(HorizontalPodAutoscaler.class).get(0);
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
        assertThat(
                        hpa.getSpec()
                                .getMetrics()
                                .get(0)
                                .getResource()
                                .getTarget()
                                .getAverageUtilization())
                .isEqualTo(50);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("freshet-registry");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static String path(Probe p) {
        return p.getHttpGet().getPath();
    }
}
