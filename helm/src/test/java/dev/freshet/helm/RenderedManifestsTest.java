package dev.freshet.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every rendered document parses strictly into fabric8's model (or a CRD allow-list). */
class RenderedManifestsTest {

    @Test
    void theDefaultsRenderTheCoreComponentsAndTheirSecrets() {
        Rendered r = Rendered.defaults();

        assertThat(kinds(r))
                .containsExactlyInAnyOrder(
                        "Secret/freshet-s3",
                        "Secret/freshet-registry-token",
                        "Deployment/freshet-registry",
                        "Service/freshet-registry",
                        "HorizontalPodAutoscaler/freshet-registry",
                        "PodDisruptionBudget/freshet-registry",
                        "StatefulSet/freshet-trainer",
                        "Service/freshet-trainer",
                        "FlinkDeployment/freshet-flink");
    }

    @Test
    void everyOptionalPartRendersStrictlyToo() {
        Rendered r = Rendered.nonDefault();

        assertThat(kinds(r))
                .contains(
                        "Deployment/freshet-serving",
                        "Service/freshet-serving",
                        "Ingress/freshet-registry",
                        "ServiceMonitor/freshet-registry",
                        "ServiceMonitor/freshet-trainer",
                        "ServiceMonitor/freshet-serving")
                .doesNotContain("Secret/freshet-s3", "Secret/freshet-registry-token");
        assertThat(r.all(Secret.class)).isEmpty();
    }

    @Test
    void aMisspeltFieldFailsTheStrictParse() {
        String good =
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: x
                spec:
                  template:
                    spec:
                      containers:
                        - name: c
                          image: i
                          readinessProbe:
                            httpGet: {path: /readyz, port: 8080}
                """;
        StrictManifests.parseOne(good);

        assertThatThrownBy(() -> StrictManifests.parseOne(good.replace("httpGet", "httpGett")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("httpGett");
        assertThatThrownBy(
                        () ->
                                StrictManifests.parseOne(
                                        good.replace("template:", "templates: {}\n  template:")))
                .hasMessageContaining("templates");
    }

    @Test
    void aMisspeltFieldInACustomResourceFailsToo() {
        String flink =
                """
                apiVersion: flink.apache.org/v1beta1
                kind: FlinkDeployment
                metadata:
                  name: f
                spec:
                  job:
                    jarURI: local:///x.jar
                    upgradeMode: savepoint
                  podTemplate:
                    spec:
                      containers:
                        - name: flink-main-container
                """;
        StrictManifests.parseOne(flink);

        assertThatThrownBy(() -> StrictManifests.parseOne(flink.replace("upgradeMode", "upgrade")))
                .hasMessageContaining("spec.job.upgrade");
        assertThatThrownBy(
                        () -> StrictManifests.parseOne(flink.replace("containers", "containres")))
                .hasMessageContaining("containres");
    }

    private static List<String> kinds(Rendered r) {
        return r.resources().stream()
                .map(x -> x.getKind() + "/" + x.getMetadata().getName())
                .toList();
    }
}
