package dev.freshet.helm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of the custom resources the chart renders, as allow-lists taken from their CRDs
 * (FlinkDeployment: flink-kubernetes-operator's v1beta1 FlinkDeploymentSpec, JobSpec,
 * JobManagerSpec, TaskManagerSpec, Resource; ServiceMonitor: the Prometheus Operator's
 * monitoring.coreos.com/v1). Maven Central has no FlinkDeployment or ServiceMonitor class that
 * works with fabric8 7.9 (the newest flink-kubernetes-operator-api there is built on fabric8 6), so
 * nested maps are checked key by key; a key not listed fails, as a misspelt one should.
 */
final class CustomResourceFields {

    private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");

    /** Per kind, per path below the resource ("spec", "spec.job", ...), the allowed keys. */
    private static final Map<String, Map<String, Set<String>>> ALLOWED =
            Map.of(
                    "FlinkDeployment",
                    Map.of(
                            "spec",
                            Set.of(
                                    "job",
                                    "restartNonce",
                                    "flinkConfiguration",
                                    "image",
                                    "imagePullPolicy",
                                    "serviceAccount",
                                    "flinkVersion",
                                    "ingress",
                                    "podTemplate",
                                    "jobManager",
                                    "taskManager",
                                    "logConfiguration",
                                    "mode"),
                            "spec.job",
                            Set.of(
                                    "jarURI",
                                    "parallelism",
                                    "entryClass",
                                    "args",
                                    "state",
                                    "savepointTriggerNonce",
                                    "initialSavepointPath",
                                    "checkpointTriggerNonce",
                                    "upgradeMode",
                                    "allowNonRestoredState",
                                    "savepointRedeployNonce",
                                    "autoscalerResetNonce"),
                            "spec.jobManager",
                            Set.of("resource", "replicas", "podTemplate"),
                            "spec.taskManager",
                            Set.of("resource", "replicas", "podTemplate"),
                            "spec.jobManager.resource",
                            Set.of("cpu", "memory", "ephemeralStorage"),
                            "spec.taskManager.resource",
                            Set.of("cpu", "memory", "ephemeralStorage")),
                    "ServiceMonitor",
                    Map.of(
                            "spec",
                            Set.of(
                                    "jobLabel",
                                    "targetLabels",
                                    "podTargetLabels",
                                    "endpoints",
                                    "selector",
                                    "namespaceSelector",
                                    "sampleLimit",
                                    "targetLimit",
                                    "scrapeProtocols",
                                    "attachMetadata"),
                            "spec.selector",
                            Set.of("matchLabels", "matchExpressions"),
                            "spec.endpoints[]",
                            Set.of(
                                    "port",
                                    "targetPort",
                                    "path",
                                    "scheme",
                                    "params",
                                    "interval",
                                    "scrapeTimeout",
                                    "tlsConfig",
                                    "bearerTokenSecret",
                                    "authorization",
                                    "honorLabels",
                                    "honorTimestamps",
                                    "basicAuth",
                                    "oauth2",
                                    "metricRelabelings",
                                    "relabelings",
                                    "proxyUrl",
                                    "followRedirects",
                                    "enableHttp2",
                                    "filterRunning")));

    private CustomResourceFields() {}

    static void check(String where, GenericKubernetesResource r) {
        Map<String, Set<String>> allowed = ALLOWED.get(r.getKind());
        if (allowed == null) {
            throw new AssertionError(where + ": no model class and no allow-list for this kind");
        }
        Set<String> top = r.getAdditionalProperties().keySet();
        if (!TOP.containsAll(top)) {
            throw new AssertionError(where + ": unknown top-level fields " + top);
        }
        allowed.forEach((path, keys) -> checkPath(where, r.getAdditionalProperties(), path, keys));
    }

    private static void checkPath(
            String where, Map<String, Object> root, String path, Set<String> keys) {
        for (Map<?, ?> node : resolve(root, path)) {
            for (Object key : node.keySet()) {
                if (!keys.contains(String.valueOf(key))) {
                    throw new AssertionError(where + ": unknown field " + path + "." + key);
                }
            }
        }
    }

    /** The maps at a path like "spec.endpoints[]": every element of a list marked []. */
    private static List<Map<?, ?>> resolve(Object node, String path) {
        List<Object> current = List.of(node);
        for (String part : path.split("\\.")) {
            boolean list = part.endsWith("[]");
            String key = list ? part.substring(0, part.length() - 2) : part;
            List<Object> next = new java.util.ArrayList<>();
            for (Object c : current) {
                Object v = c instanceof Map<?, ?> m ? m.get(key) : null;
                if (list && v instanceof List<?> l) {
                    next.addAll(l);
                } else if (!list && v != null) {
                    next.add(v);
                }
            }
            current = next;
        }
        List<Map<?, ?>> maps = new java.util.ArrayList<>();
        for (Object c : current) {
            if (c instanceof Map<?, ?> m) {
                maps.add(m);
            }
        }
        return maps;
    }
}
