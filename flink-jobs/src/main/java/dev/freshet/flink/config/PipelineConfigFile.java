package dev.freshet.flink.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freshet.features.config.Durations;
import dev.freshet.features.event.EventLimits;
import dev.freshet.features.spec.FeatureConfigFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code pipeline:} section of a Freshet YAML config file over the defaults. Unknown keys
 * and bad values are errors that name the key, so a typo never silently falls back to a default.
 *
 * <pre>
 * pipeline:
 *   tasks: {click: 10m, save: 30m, hide: 30m, pay: 2h}
 *   engagement_types: {purchase: pay}
 *   allowed_lateness: 5m
 *   negative_sample_rate: 0.2
 * </pre>
 */
public final class PipelineConfigFile {

    private static final ObjectMapper YAML =
            YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private static final Set<String> KEYS =
            Set.of(
                    "bootstrap_servers",
                    "topics",
                    "topic_partitions",
                    "tasks",
                    "engagement_types",
                    "allowed_lateness",
                    "max_out_of_orderness",
                    "idle_timeout",
                    "empty_partition_timeout",
                    "negative_sample_rate",
                    "sampling_seed",
                    "state_ttl",
                    "state_backend",
                    "checkpoint_interval",
                    "checkpoint_dir",
                    "parallelism",
                    "group_id",
                    "transactional_id_prefix",
                    "max_record_bytes",
                    "max_future_skew",
                    "min_event_time",
                    "max_id_length",
                    "refit_interval",
                    "bootstrap_samples");
    private static final Set<String> TOPIC_KEYS =
            Set.of("impressions", "engagements", "samples", "late_engagements", "dead_letters");

    private PipelineConfigFile() {}

    /** Loads {@code file} (YAML or JSON) over {@code base}; a missing section leaves base as is. */
    public static PipelineConfig load(Path file, PipelineConfig base) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read config " + file + ": " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return base;
        }
        if (!root.isObject()) {
            throw new ConfigException(file + ": expected a mapping at the top level");
        }
        PipelineConfig config = base;
        JsonNode section = root.get("pipeline");
        if (section != null && !section.isNull()) {
            config = apply((ObjectNode) requireObject(section, "pipeline"), base);
        }
        JsonNode features = root.get("features");
        if (features != null && !features.isNull()) {
            try {
                config = config.toBuilder().features(FeatureConfigFile.parse(features)).build();
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage(), e);
            }
        }
        return config;
    }

    static PipelineConfig apply(ObjectNode p, PipelineConfig base) {
        for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new ConfigException(
                        "pipeline." + key + ": unknown key (known: " + KEYS + ")");
            }
        }
        PipelineConfig.Builder b = base.toBuilder();
        if (p.has("bootstrap_servers")) b.bootstrapServers(text(p, "bootstrap_servers"));
        if (p.has("topics"))
            b.topics(topics(requireObject(p.get("topics"), "pipeline.topics"), base.topics()));
        if (p.has("topic_partitions")) b.topicPartitions(integer(p, "topic_partitions"));
        if (p.has("tasks") || p.has("engagement_types")) b.tasks(tasks(p));
        if (p.has("allowed_lateness")) b.allowedLateness(duration(p, "allowed_lateness"));
        if (p.has("max_out_of_orderness")) b.maxOutOfOrderness(duration(p, "max_out_of_orderness"));
        if (p.has("idle_timeout")) b.idleTimeout(duration(p, "idle_timeout"));
        if (p.has("empty_partition_timeout"))
            b.emptyPartitionTimeout(duration(p, "empty_partition_timeout"));
        if (p.has("negative_sample_rate")) b.negativeSampleRate(number(p, "negative_sample_rate"));
        if (p.has("sampling_seed")) b.samplingSeed(integer(p, "sampling_seed"));
        if (p.has("state_ttl")) b.stateTtl(duration(p, "state_ttl"));
        if (p.has("state_backend")) b.stateBackend(text(p, "state_backend"));
        if (p.has("checkpoint_interval")) b.checkpointInterval(duration(p, "checkpoint_interval"));
        if (p.has("checkpoint_dir")) b.checkpointDir(Path.of(text(p, "checkpoint_dir")));
        if (p.has("parallelism")) b.parallelism(integer(p, "parallelism"));
        if (p.has("refit_interval")) b.refitInterval(duration(p, "refit_interval"));
        if (p.has("bootstrap_samples")) b.bootstrapSamples(integer(p, "bootstrap_samples"));
        if (p.has("group_id")) b.groupId(text(p, "group_id"));
        if (p.has("transactional_id_prefix"))
            b.transactionalIdPrefix(text(p, "transactional_id_prefix"));
        EventLimits l = base.limits();
        if (p.has("max_record_bytes")
                || p.has("max_future_skew")
                || p.has("min_event_time")
                || p.has("max_id_length")) {
            b.limits(
                    new EventLimits(
                            p.has("max_record_bytes")
                                    ? integer(p, "max_record_bytes")
                                    : l.maxRecordBytes(),
                            p.has("min_event_time")
                                    ? instant(p, "min_event_time")
                                    : l.minEventTime(),
                            p.has("max_future_skew")
                                    ? duration(p, "max_future_skew")
                                    : l.maxFutureSkew(),
                            p.has("max_id_length")
                                    ? integer(p, "max_id_length")
                                    : l.maxIdLength()));
        }
        return b.build();
    }

    private static TaskWindows tasks(ObjectNode p) {
        Map<String, Duration> windows = new LinkedHashMap<>();
        if (p.has("tasks")) {
            JsonNode t = requireObject(p.get("tasks"), "pipeline.tasks");
            t.fields()
                    .forEachRemaining(
                            e ->
                                    windows.put(
                                            e.getKey(),
                                            parseDuration(
                                                    "pipeline.tasks." + e.getKey(), e.getValue())));
        } else {
            TaskWindows.DEFAULTS
                    .tasks()
                    .forEach(
                            t ->
                                    windows.put(
                                            t,
                                            Duration.ofMillis(
                                                    TaskWindows.DEFAULTS.windowMillis(t))));
        }
        Map<String, String> aliases = new LinkedHashMap<>();
        if (p.has("engagement_types")) {
            JsonNode a = requireObject(p.get("engagement_types"), "pipeline.engagement_types");
            a.fields()
                    .forEachRemaining(
                            e -> {
                                if (!e.getValue().isTextual()) {
                                    throw new ConfigException(
                                            "pipeline.engagement_types."
                                                    + e.getKey()
                                                    + ": must name a task");
                                }
                                aliases.put(e.getKey(), e.getValue().textValue());
                            });
        }
        try {
            return new TaskWindows(windows, aliases);
        } catch (ConfigException e) {
            throw new ConfigException("pipeline." + e.getMessage());
        }
    }

    private static Topics topics(JsonNode t, Topics base) {
        t.fieldNames()
                .forEachRemaining(
                        k -> {
                            if (!TOPIC_KEYS.contains(k)) {
                                throw new ConfigException(
                                        "pipeline.topics."
                                                + k
                                                + ": unknown key (known: "
                                                + TOPIC_KEYS
                                                + ")");
                            }
                        });
        return new Topics(
                t.has("impressions") ? t.get("impressions").asText() : base.impressions(),
                t.has("engagements") ? t.get("engagements").asText() : base.engagements(),
                t.has("samples") ? t.get("samples").asText() : base.samples(),
                t.has("late_engagements")
                        ? t.get("late_engagements").asText()
                        : base.lateEngagements(),
                t.has("dead_letters") ? t.get("dead_letters").asText() : base.deadLetters());
    }

    private static JsonNode requireObject(JsonNode n, String key) {
        if (!n.isObject()) {
            throw new ConfigException(key + ": expected a mapping");
        }
        return n;
    }

    private static String text(JsonNode p, String key) {
        JsonNode n = p.get(key);
        if (!n.isTextual() || n.textValue().isBlank()) {
            throw new ConfigException("pipeline." + key + ": expected a non-empty string");
        }
        return n.textValue();
    }

    private static int integer(JsonNode p, String key) {
        JsonNode n = p.get(key);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new ConfigException(
                    "pipeline." + key + ": expected an integer, got '" + n.asText() + "'");
        }
        return n.intValue();
    }

    private static double number(JsonNode p, String key) {
        JsonNode n = p.get(key);
        if (!n.isNumber()) {
            throw new ConfigException(
                    "pipeline." + key + ": expected a number, got '" + n.asText() + "'");
        }
        return n.doubleValue();
    }

    private static Duration duration(JsonNode p, String key) {
        return parseDuration("pipeline." + key, p.get(key));
    }

    private static Duration parseDuration(String key, JsonNode n) {
        if (!n.isTextual()) {
            throw new ConfigException(
                    key + ": expected a duration such as 30s or 10m, got '" + n.asText() + "'");
        }
        try {
            return Durations.parse(n.textValue());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage());
        }
    }

    private static Instant instant(JsonNode p, String key) {
        try {
            return Instant.parse(p.get(key).asText());
        } catch (RuntimeException e) {
            throw new ConfigException("pipeline." + key + ": expected an ISO-8601 instant");
        }
    }
}
