package dev.freshet.registry.mlflow;

import dev.freshet.manifest.CheckResult;
import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.TaskMetrics;
import dev.freshet.registry.index.AliasEvent;
import dev.freshet.registry.index.ModelEntry;
import dev.freshet.registry.index.VersionEntry;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MLflow's JSON shapes (model_registry.proto: RegisteredModel, ModelVersion) built from index
 * entries. A ready version is in stage {@code None}, a rejected one in {@code Archived}; gate
 * verdicts and metrics travel as {@code freshet.*} tags. The built-in {@code latest} alias is not
 * listed (MLflow reserves that name), though it can be looked up.
 */
final class MlflowViews {

    static final String STAGE_NONE = "None";
    static final String STAGE_ARCHIVED = "Archived";

    /** MLflow's stages in its canonical spelling; only None and Archived ever hold versions. */
    static final List<String> STAGES = List.of(STAGE_NONE, "Staging", "Production", STAGE_ARCHIVED);

    private MlflowViews() {}

    static Map<String, Object> registeredModel(ModelEntry m, String artifactRoot) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", m.name());
        out.put(
                "creation_timestamp",
                m.versions().isEmpty() ? 0L : created(m.versions().firstEntry().getValue()));
        out.put("last_updated_timestamp", lastUpdated(m));
        out.put("description", "");
        List<Map<String, Object>> latest = new ArrayList<>();
        for (VersionEntry v : latestPerStage(m, STAGES)) {
            latest.add(modelVersion(m, v, artifactRoot));
        }
        out.put("latest_versions", latest);
        out.put("tags", List.of());
        List<Map<String, Object>> aliases = new ArrayList<>();
        setAliases(m)
                .forEach(
                        (alias, v) ->
                                aliases.add(Map.of("alias", alias, "version", String.valueOf(v))));
        out.put("aliases", aliases);
        return out;
    }

    static Map<String, Object> modelVersion(ModelEntry model, VersionEntry v, String artifactRoot) {
        Manifest m = v.manifest();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", m.model());
        out.put("version", String.valueOf(v.version()));
        out.put("creation_timestamp", created(v));
        out.put("last_updated_timestamp", v.ready() ? created(v) : millis(v.rejection().at()));
        out.put("current_stage", stage(v));
        out.put("description", v.ready() ? "" : "rejected: " + v.rejection().reason());
        out.put("source", source(artifactRoot, m.model(), v.version()));
        out.put("run_id", "");
        out.put("status", "READY");
        out.put("tags", tags(v));
        List<String> aliases = new ArrayList<>();
        setAliases(model)
                .forEach(
                        (alias, at) -> {
                            if (at == v.version()) {
                                aliases.add(alias);
                            }
                        });
        out.put("aliases", aliases);
        return out;
    }

    /** Where the version's files are: {@code <artifactRoot>models/<m>/versions/<v>}. */
    static String source(String artifactRoot, String model, long version) {
        return artifactRoot + "models/" + model + "/versions/" + version;
    }

    static String stage(VersionEntry v) {
        return v.ready() ? STAGE_NONE : STAGE_ARCHIVED;
    }

    /** The newest version in each of {@code stages} that has one, in the order asked. */
    static List<VersionEntry> latestPerStage(ModelEntry m, List<String> stages) {
        List<VersionEntry> out = new ArrayList<>();
        for (String stage : stages) {
            m.versions().descendingMap().values().stream()
                    .filter(v -> stage(v).equals(stage))
                    .findFirst()
                    .filter(v -> !out.contains(v))
                    .ifPresent(out::add);
        }
        return out;
    }

    private static List<Map<String, String>> tags(VersionEntry v) {
        Manifest m = v.manifest();
        List<Map<String, String>> out = new ArrayList<>();
        tag(out, "freshet.state", v.state());
        tag(out, "freshet.passed_gates", String.valueOf(m.passed()));
        tag(out, "freshet.parent", m.parent() == null ? null : String.valueOf(m.parent()));
        tag(out, "freshet.created_at", m.createdAt());
        if (m.lineage() != null) {
            tag(out, "freshet.spec_version", m.lineage().specVersion());
            tag(out, "freshet.config_hash", m.lineage().configHash());
            if (m.lineage().samples() != null) {
                tag(
                        out,
                        "freshet.samples_trained",
                        String.valueOf(m.lineage().samples().trained()));
            }
        }
        for (CheckResult gate : m.gates() == null ? List.<CheckResult>of() : m.gates()) {
            tag(out, "freshet.gate." + gate.name(), String.valueOf(gate.verdict()));
        }
        if (m.metrics() != null) {
            for (Map.Entry<String, TaskMetrics> e : m.metrics().entrySet()) {
                TaskMetrics t = e.getValue();
                tag(out, "freshet.auc." + e.getKey(), String.valueOf(t.auc()));
                tag(out, "freshet.log_loss." + e.getKey(), String.valueOf(t.logLoss()));
                tag(out, "freshet.calibration." + e.getKey(), String.valueOf(t.calibration()));
                tag(out, "freshet.samples." + e.getKey(), String.valueOf(t.samples()));
            }
        }
        if (!v.ready()) {
            tag(out, "freshet.rejected_by", v.rejection().actor());
            tag(out, "freshet.rejection_reason", v.rejection().reason());
        }
        return out;
    }

    private static void tag(List<Map<String, String>> out, String key, String value) {
        if (value != null) {
            out.add(Map.of("key", key, "value", value));
        }
    }

    /** Set aliases (not {@code latest}) and their versions, by name. */
    private static Map<String, Long> setAliases(ModelEntry m) {
        Map<String, Long> out = new LinkedHashMap<>(m.aliases());
        out.remove(ModelEntry.LATEST);
        return out;
    }

    private static long created(VersionEntry v) {
        return millis(v.manifest().createdAt());
    }

    /** The newest of: a version published, a version rejected, an alias moved. */
    private static long lastUpdated(ModelEntry m) {
        long last = 0;
        for (VersionEntry v : m.versions().values()) {
            last = Math.max(last, created(v));
            if (!v.ready()) {
                last = Math.max(last, millis(v.rejection().at()));
            }
        }
        for (String alias : m.aliasLogs().keySet()) {
            Optional<AliasEvent> moved = m.lastEvent(alias);
            if (moved.isPresent()) {
                last = Math.max(last, millis(moved.get().at()));
            }
        }
        return last;
    }

    private static long millis(String instant) {
        if (instant == null) {
            return 0;
        }
        try {
            return Instant.parse(instant).toEpochMilli();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
