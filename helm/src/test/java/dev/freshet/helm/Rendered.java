package dev.freshet.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The chart rendered with one set of values, parsed strictly, with lookups for the tests. */
record Rendered(List<HasMetadata> resources) {

    /** The defaults plus the required values. */
    static Rendered defaults() {
        return new Rendered(StrictManifests.parse(Chart.render(Chart.REQUIRED)));
    }

    /** src/test/resources/non-default-values.yaml: every optional part on, existing Secrets. */
    static Rendered nonDefault() {
        return new Rendered(StrictManifests.parse(Chart.render(Map.of(), nonDefaultValues())));
    }

    static Path nonDefaultValues() {
        try {
            return Path.of(Rendered.class.getResource("/non-default-values.yaml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<GenericKubernetesResource> custom(String kind) {
        return all(GenericKubernetesResource.class).stream()
                .filter(r -> r.getKind().equals(kind))
                .toList();
    }

    Optional<HasMetadata> find(String kind, String name) {
        return resources.stream()
                .filter(r -> r.getKind().equals(kind) && r.getMetadata().getName().equals(name))
                .findFirst();
    }

    /** The pod specs of the workloads (Deployments, StatefulSets) by component label. */
    Map<String, PodSpec> podSpecs() {
        Map<String, PodSpec> out = new java.util.TreeMap<>();
        for (Deployment d : all(Deployment.class)) {
            out.put(component(d), d.getSpec().getTemplate().getSpec());
        }
        for (StatefulSet s : all(StatefulSet.class)) {
            out.put(component(s), s.getSpec().getTemplate().getSpec());
        }
        return out;
    }

    PodSpec podSpec(String component) {
        PodSpec spec = podSpecs().get(component);
        if (spec == null) {
            throw new AssertionError("no workload for component " + component);
        }
        return spec;
    }

    Container container(String component) {
        return podSpec(component).getContainers().get(0);
    }

    /** The FlinkDeployment's pod template, as a Pod spec. */
    PodSpec flinkPodSpec() {
        return StrictManifests.podTemplate(flinkDeployment()).orElseThrow().getSpec();
    }

    GenericKubernetesResource flinkDeployment() {
        List<GenericKubernetesResource> flink = custom("FlinkDeployment");
        if (flink.size() != 1) {
            throw new AssertionError("expected one FlinkDeployment, got " + flink.size());
        }
        return flink.get(0);
    }

    /** Every container of every pod the chart defines, the Flink pod template's included. */
    List<Container> allContainers() {
        List<Container> out = new ArrayList<>();
        podSpecs().values().forEach(p -> out.addAll(p.getContainers()));
        out.addAll(flinkPodSpec().getContainers());
        return out;
    }

    static String component(HasMetadata r) {
        return r.getMetadata().getLabels().get("app.kubernetes.io/component");
    }
}
