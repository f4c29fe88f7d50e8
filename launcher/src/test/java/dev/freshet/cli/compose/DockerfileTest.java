package dev.freshet.cli.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.freshet.cli.compose.Dockerfile.Stage;
import dev.freshet.testing.Checkout;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docker/Dockerfile: stages that exist, pinned bases, non-root images, real main classes. */
class DockerfileTest {

    static final String PATH = "docker/Dockerfile";

    /** The images docker-compose.yml builds; each must stay a final stage. */
    static final Set<String> TARGETS = Set.of("registry", "freshet", "flink-job");

    private static final Pattern FRESHET_CLASS =
            Pattern.compile("\\bdev\\.freshet(?:\\.[a-z][a-z0-9]*)+\\.[A-Z][A-Za-z0-9]*");

    private final Dockerfile dockerfile = Dockerfile.parse(Checkout.read(PATH));

    @Test
    void everyStageItBuildsOnOrCopiesFromExists() {
        List<String> names = dockerfile.stages().stream().map(Stage::name).toList();
        for (int i = 0; i < dockerfile.stages().size(); i++) {
            Stage stage = dockerfile.stages().get(i);
            List<String> earlier = names.subList(0, i);
            for (String source : stage.copiesFrom()) {
                assertThat(earlier)
                        .as("stage %s copies --from=%s, an earlier stage", stage.name(), source)
                        .contains(source);
            }
            if (!stage.from().contains(":") && !stage.from().contains("/")) {
                assertThat(earlier)
                        .as("stage %s is FROM %s, an earlier stage", stage.name(), stage.from())
                        .contains(stage.from());
            }
        }
        assertThat(names).containsAll(TARGETS);
        assertThat(TARGETS)
                .allSatisfy(
                        t -> assertThat(dockerfile.isFinal(dockerfile.stage(t).get())).isTrue());
    }

    @Test
    void baseImagesArePinned() {
        Set<String> stageNames =
                dockerfile.stages().stream().map(Stage::name).collect(Collectors.toSet());
        List<String> images =
                dockerfile.stages().stream()
                        .map(Stage::from)
                        .filter(from -> !stageNames.contains(from))
                        .toList();
        assertThat(images).isNotEmpty().allSatisfy(ImageRefs::assertPinned);
    }

    @Test
    void everyImageRunsAsANonRootUser() {
        for (Stage stage : dockerfile.stages()) {
            if (!dockerfile.isFinal(stage)) {
                continue;
            }
            List<String> users = stage.all("USER");
            assertThat(users).as("USER in stage %s", stage.name()).isNotEmpty();
            String user = users.get(users.size() - 1).split(":")[0];
            assertThat(user).as("last USER of stage %s", stage.name()).isNotIn("root", "0");
            assertThat(stage.all("LABEL"))
                    .as("OCI labels of stage %s", stage.name())
                    .anySatisfy(l -> assertThat(l).contains("org.opencontainers.image.title="));
            if (!stage.all("EXPOSE").isEmpty()) {
                assertThat(stage.all("HEALTHCHECK"))
                        .as("HEALTHCHECK of stage %s, which serves a port", stage.name())
                        .isNotEmpty();
            }
        }
    }

    @Test
    void everyMainClassNamedInTheDeploymentFilesExists() {
        String text = Checkout.read(PATH) + Checkout.read("docker-compose.yml");
        Matcher m = FRESHET_CLASS.matcher(text);
        int found = 0;
        while (m.find()) {
            String name = m.group();
            found++;
            assertThatCode(() -> Class.forName(name, false, getClass().getClassLoader()))
                    .as("class %s", name)
                    .doesNotThrowAnyException();
        }
        assertThat(found).as("main classes named").isGreaterThanOrEqualTo(3);
    }

    @Test
    void filesCopiedFromTheCheckoutExist() {
        for (Stage stage : dockerfile.stages()) {
            for (String copy : stage.all("COPY")) {
                if (copy.contains("--from=")) {
                    continue;
                }
                List<String> words =
                        List.of(copy.split("\\s+")).stream()
                                .filter(w -> !w.startsWith("--"))
                                .toList();
                for (String source : words.subList(0, words.size() - 1)) {
                    assertThat(Files.exists(Checkout.ROOT.resolve(source)))
                            .as("COPY source %s in stage %s", source, stage.name())
                            .isTrue();
                }
            }
        }
    }

    @Test
    void pytorchVersionIsTheOneThePomPins() {
        List<String> versions =
                dockerfile.stages().stream()
                        .flatMap(s -> s.all("ARG").stream())
                        .filter(a -> a.startsWith("PYTORCH_VERSION="))
                        .map(a -> a.substring("PYTORCH_VERSION=".length()))
                        .toList();
        assertThat(versions).isNotEmpty().containsOnly(RepoFiles.pomProperty("pytorch.version"));
    }
}
