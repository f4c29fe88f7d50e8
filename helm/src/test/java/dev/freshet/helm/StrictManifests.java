package dev.freshet.helm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rendered YAML parsed strictly into fabric8's model classes. fabric8 puts a field it does not know
 * into {@code additionalProperties} instead of failing, so after parsing {@link StrictWalk} fails
 * on any that is not empty. The custom resources fabric8 has no classes for here (FlinkDeployment,
 * ServiceMonitor) are checked against {@link CustomResourceFields}; the FlinkDeployment's pod
 * template is a real Pod and parsed as one.
 */
final class StrictManifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private StrictManifests() {}

    /** Every document of a multi-document YAML stream, parsed strictly. */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
                continue;
            }
            out.add(parseOne(doc));
        }
        return out;
    }

    static HasMetadata parseOne(String doc) {
        Object parsed = SERIALIZATION.unmarshal(doc);
        if (!(parsed instanceof HasMetadata resource)) {
            throw new IllegalArgumentException("not a Kubernetes resource: " + doc);
        }
        String where = resource.getKind() + "/" + resource.getMetadata().getName();
        if (resource instanceof GenericKubernetesResource generic) {
            CustomResourceFields.check(where, generic);
            podTemplate(generic).ifPresent(pod -> StrictWalk.check(where + ".podTemplate", pod));
            StrictWalk.check(where + ".metadata", generic.getMetadata());
        } else {
            StrictWalk.check(where, resource);
        }
        return resource;
    }

    /** The FlinkDeployment's spec.podTemplate as a Pod. */
    static java.util.Optional<Pod> podTemplate(GenericKubernetesResource r) {
        Object spec = r.getAdditionalProperties().get("spec");
        if (spec instanceof Map<?, ?> m && m.get("podTemplate") != null) {
            return java.util.Optional.of(
                    SERIALIZATION.convertValue(m.get("podTemplate"), Pod.class));
        }
        return java.util.Optional.empty();
    }
}
