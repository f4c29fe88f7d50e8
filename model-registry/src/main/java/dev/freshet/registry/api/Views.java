package dev.freshet.registry.api;

import dev.freshet.manifest.CheckResult;
import dev.freshet.manifest.Manifest;
import dev.freshet.registry.index.AliasEvent;
import dev.freshet.registry.index.ModelEntry;
import dev.freshet.registry.index.VersionEntry;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of the native API, built from index entries. */
final class Views {

    private Views() {}

    static Map<String, Object> model(ModelEntry m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", m.name());
        out.put("versions", m.versions().size());
        out.put("newest_version", m.versions().isEmpty() ? null : m.versions().lastKey());
        out.put("aliases", m.aliases());
        out.put("rejected_candidates", m.candidates().size());
        return out;
    }

    static Map<String, Object> versionSummary(ModelEntry model, VersionEntry v) {
        Manifest m = v.manifest();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", m.model());
        out.put("version", m.version());
        out.put("state", v.state());
        out.put("created_at", m.createdAt());
        out.put("parent", m.parent());
        out.put("passed_gates", m.passed());
        out.put("aliases", aliasesOf(model, m.version()));
        Manifest.Lineage l = m.lineage();
        out.put("spec_version", l == null ? null : l.specVersion());
        out.put("samples_trained", l == null || l.samples() == null ? null : l.samples().trained());
        out.put("max_event_time", l == null ? null : l.maxEventTime());
        out.put("freshness_seconds", freshnessSeconds(m));
        out.put("metrics", m.metrics());
        out.put("hit", m.hit());
        return out;
    }

    static Map<String, Object> versionDetail(ModelEntry model, VersionEntry v) {
        Map<String, Object> out = versionSummary(model, v);
        out.put("rejection", v.rejection());
        out.put("gates", v.manifest().gates());
        out.put("manifest", v.manifest());
        return out;
    }

    static Map<String, Object> candidate(Manifest m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("candidate", m.candidate());
        out.put("created_at", m.createdAt());
        out.put("parent", m.parent());
        out.put(
                "failed_checks",
                m.gates().stream().filter(CheckResult::blocks).map(CheckResult::name).toList());
        out.put("gates", m.gates());
        out.put("metrics", m.metrics());
        return out;
    }

    static Map<String, Object> alias(
            String model, String alias, long version, AliasEvent last, String etag) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model);
        out.put("alias", alias);
        out.put("version", version);
        out.put("moved_at", last == null ? null : last.at());
        out.put("moved_by", last == null ? null : last.actor());
        out.put("reason", last == null ? null : last.reason());
        out.put("etag", etag);
        return out;
    }

    private static java.util.List<String> aliasesOf(ModelEntry model, long version) {
        return model.aliases().entrySet().stream()
                .filter(e -> e.getValue() == version)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Seconds from the newest event the version learned from to its publication. */
    static Double freshnessSeconds(Manifest m) {
        if (m.lineage() == null || m.lineage().maxEventTime() == null || m.createdAt() == null) {
            return null;
        }
        try {
            long created = Instant.parse(m.createdAt()).toEpochMilli();
            return (created - m.lineage().maxEventTime()) / 1000.0;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
