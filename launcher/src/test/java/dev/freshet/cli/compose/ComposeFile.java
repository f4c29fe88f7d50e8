package dev.freshet.cli.compose;

import dev.freshet.testing.Checkout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A parsed compose file, with the few lookups the tests make (short and long syntax alike). */
record ComposeFile(Map<String, Object> root) {

    static ComposeFile of(Map<String, Object> root) {
        return new ComposeFile(root);
    }

    /** docker-compose.yml at the repository root, variables substituted from {@code env}. */
    static ComposeFile load(Map<String, String> env) {
        return of(RepoFiles.yaml(RepoFiles.interpolate(Checkout.read("docker-compose.yml"), env)));
    }

    Map<String, Map<String, Object>> services() {
        return map(root.get("services"));
    }

    Map<String, Object> service(String name) {
        Map<String, Object> s = services().get(name);
        if (s == null) {
            throw new IllegalArgumentException("no service " + name);
        }
        return s;
    }

    Map<String, Object> build(String service) {
        Object build = service(service).get("build");
        if (build instanceof String context) {
            return Map.of("context", context);
        }
        return map(build);
    }

    /** The command as an argument list (a string command split on white space). */
    List<String> command(String service) {
        Object command = service(service).get("command");
        if (command == null) {
            return List.of();
        }
        if (command instanceof String s) {
            return List.of(s.trim().split("\\s+"));
        }
        return ((List<?>) command).stream().map(String::valueOf).toList();
    }

    Map<String, String> environment(String service) {
        Object env = service(service).get("environment");
        Map<String, String> out = new LinkedHashMap<>();
        if (env instanceof List<?> list) {
            for (Object entry : list) {
                String[] kv = String.valueOf(entry).split("=", 2);
                out.put(kv[0], kv.length > 1 ? kv[1] : null);
            }
        } else if (env != null) {
            map(env).forEach((k, v) -> out.put(k, String.valueOf(v)));
        }
        return out;
    }

    /** depends_on as service -> condition; the short (list) form has no condition: null. */
    Map<String, String> dependsOn(String service) {
        Object deps = service(service).get("depends_on");
        Map<String, String> out = new LinkedHashMap<>();
        if (deps instanceof List<?> list) {
            list.forEach(d -> out.put(String.valueOf(d), null));
        } else if (deps != null) {
            Map<String, Map<String, Object>> long_ = map(deps);
            long_.forEach((k, v) -> out.put(k, v == null ? null : (String) v.get("condition")));
        }
        return out;
    }

    /** Services something waits for with service_completed_successfully: the one-shots. */
    Set<String> oneShots() {
        Set<String> out = new TreeSet<>();
        for (String s : services().keySet()) {
            dependsOn(s)
                    .forEach(
                            (dep, condition) -> {
                                if ("service_completed_successfully".equals(condition)) {
                                    out.add(dep);
                                }
                            });
        }
        return out;
    }

    List<String> profiles(String service) {
        Object p = service(service).get("profiles");
        return p == null ? List.of() : ((List<?>) p).stream().map(String::valueOf).toList();
    }

    List<String> volumes(String service) {
        Object v = service(service).get("volumes");
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (Object entry : (List<?>) v) {
                out.add(
                        entry instanceof Map<?, ?> m
                                ? m.get("source") + ":" + m.get("target")
                                : String.valueOf(entry));
            }
        }
        return out;
    }

    /** The drivers of the devices the service reserves (deploy.resources.reservations). */
    List<String> gpuDrivers(String service) {
        Map<String, Object> deploy = map(service(service).get("deploy"));
        Map<String, Object> resources = map(deploy.get("resources"));
        Map<String, Object> reservations = map(resources.get("reservations"));
        Object devices = reservations.get("devices");
        if (devices == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Object d : (List<?>) devices) {
            Map<String, Object> device = map(d);
            Object caps = device.get("capabilities");
            if (caps instanceof List<?> list && list.contains("gpu")) {
                out.add(String.valueOf(device.get("driver")));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> map(Object o) {
        return o == null ? Map.of() : (Map<String, V>) o;
    }
}
