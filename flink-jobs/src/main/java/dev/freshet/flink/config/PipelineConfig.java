package dev.freshet.flink.config;

import dev.freshet.features.event.EventLimits;
import dev.freshet.features.spec.FeatureConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the label-join pipeline needs, typed and validated. Built from defaults, then a config
 * file ({@link PipelineConfigFile}), then command-line flags.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param topics topic names
 * @param topicPartitions partitions for topics the pipeline creates when they are missing
 * @param tasks tasks, attribution windows and engagement type mapping
 * @param allowedLateness impressions older than the watermark minus this go to the dead-letter
 *     topic as {@code late}; held engagements wait this long for their impression
 * @param maxOutOfOrderness bounded out-of-orderness of the watermarks
 * @param idleTimeout a source subtask that has read nothing for this long, and whose partitions'
 *     end offsets show nothing left to read, is drained: its watermark follows the wall clock, so
 *     the last windows of a drained stream close
 * @param emptyPartitionTimeout a partition that has produced nothing since the job started is idle
 *     after this long (longer than idleTimeout: sources start at different speeds)
 * @param negativeSampleRate keep probability r of an impression without any positive label; kept
 *     ones carry weight 1/r. 1.0 keeps all
 * @param samplingSeed seed of the deterministic keep decision (a hash of impression id and seed)
 * @param stateTtl backstop time-to-live of join state, should timers never fire
 * @param stateBackend {@code hashmap} or {@code rocksdb}
 * @param checkpointInterval how often Flink checkpoints (and commits Kafka transactions)
 * @param checkpointDir where checkpoints go; the pipeline resumes from the newest one in it
 * @param parallelism operator parallelism
 * @param groupId consumer group of the Kafka sources
 * @param transactionalIdPrefix prefix of the Kafka sink's transactional ids
 * @param limits input validation limits
 * @param features the feature processing stage's config, or null to emit raw samples (spec version
 *     {@code raw})
 * @param refitInterval how often each subtask ships its fit of the trailing window to the
 *     publisher, which refits the spec
 * @param bootstrapSamples samples are held until the first spec has been fitted on at least this
 *     many
 */
public record PipelineConfig(
        String bootstrapServers,
        Topics topics,
        int topicPartitions,
        TaskWindows tasks,
        Duration allowedLateness,
        Duration maxOutOfOrderness,
        Duration idleTimeout,
        Duration emptyPartitionTimeout,
        double negativeSampleRate,
        long samplingSeed,
        Duration stateTtl,
        String stateBackend,
        Duration checkpointInterval,
        Path checkpointDir,
        int parallelism,
        String groupId,
        String transactionalIdPrefix,
        EventLimits limits,
        FeatureConfig features,
        Duration refitInterval,
        long bootstrapSamples) {

    public PipelineConfig {
        require(
                bootstrapServers != null && !bootstrapServers.isBlank(),
                "bootstrap_servers",
                "is required");
        require(topicPartitions > 0, "topic_partitions", "must be positive");
        require(!allowedLateness.isNegative(), "allowed_lateness", "must not be negative");
        require(!maxOutOfOrderness.isNegative(), "max_out_of_orderness", "must not be negative");
        require(idleTimeout.toMillis() > 0, "idle_timeout", "must be positive");
        require(
                emptyPartitionTimeout.compareTo(idleTimeout) >= 0,
                "empty_partition_timeout",
                "must be at least idle_timeout");
        require(
                negativeSampleRate > 0 && negativeSampleRate <= 1,
                "negative_sample_rate",
                "must be in (0, 1], got " + negativeSampleRate);
        require(
                stateTtl.toMillis() > tasks.maxWindowMillis() + allowedLateness.toMillis(),
                "state_ttl",
                "must exceed the longest window plus allowed_lateness");
        require(
                stateBackend.equals("hashmap") || stateBackend.equals("rocksdb"),
                "state_backend",
                "must be hashmap or rocksdb, got '" + stateBackend + "'");
        require(
                checkpointInterval.toMillis() >= 100,
                "checkpoint_interval",
                "must be at least 100ms");
        require(parallelism > 0, "parallelism", "must be positive");
        require(refitInterval.toMillis() >= 100, "refit_interval", "must be at least 100ms");
        require(bootstrapSamples >= 1, "bootstrap_samples", "must be at least 1");
    }

    /** Defaults for a local run against the given brokers. */
    public static PipelineConfig defaults(String bootstrapServers) {
        return new PipelineConfig(
                bootstrapServers,
                Topics.DEFAULTS,
                3,
                TaskWindows.DEFAULTS,
                Duration.ofMinutes(5),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                1.0,
                42L,
                Duration.ofHours(24),
                "rocksdb",
                Duration.ofSeconds(10),
                Path.of("freshet-data", "checkpoints"),
                1,
                "freshet-pipeline",
                "freshet-pipeline",
                EventLimits.DEFAULTS,
                null,
                Duration.ofSeconds(30),
                10_000);
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new ConfigException(key + ": " + message);
        }
    }

    public PipelineConfig withBootstrapServers(String servers) {
        return new Builder(this).bootstrapServers(servers).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Copy-and-change, for files, flags and tests. */
    public static final class Builder {
        private String bootstrapServers;
        private Topics topics;
        private int topicPartitions;
        private TaskWindows tasks;
        private Duration allowedLateness;
        private Duration maxOutOfOrderness;
        private Duration idleTimeout;
        private Duration emptyPartitionTimeout;
        private double negativeSampleRate;
        private long samplingSeed;
        private Duration stateTtl;
        private String stateBackend;
        private Duration checkpointInterval;
        private Path checkpointDir;
        private int parallelism;
        private String groupId;
        private String transactionalIdPrefix;
        private EventLimits limits;
        private FeatureConfig features;
        private Duration refitInterval;
        private long bootstrapSamples;

        Builder(PipelineConfig c) {
            bootstrapServers = c.bootstrapServers;
            topics = c.topics;
            topicPartitions = c.topicPartitions;
            tasks = c.tasks;
            allowedLateness = c.allowedLateness;
            maxOutOfOrderness = c.maxOutOfOrderness;
            idleTimeout = c.idleTimeout;
            emptyPartitionTimeout = c.emptyPartitionTimeout;
            negativeSampleRate = c.negativeSampleRate;
            samplingSeed = c.samplingSeed;
            stateTtl = c.stateTtl;
            stateBackend = c.stateBackend;
            checkpointInterval = c.checkpointInterval;
            checkpointDir = c.checkpointDir;
            parallelism = c.parallelism;
            groupId = c.groupId;
            transactionalIdPrefix = c.transactionalIdPrefix;
            limits = c.limits;
            features = c.features;
            refitInterval = c.refitInterval;
            bootstrapSamples = c.bootstrapSamples;
        }

        public Builder bootstrapServers(String v) {
            bootstrapServers = v;
            return this;
        }

        public Builder topics(Topics v) {
            topics = v;
            return this;
        }

        public Builder topicPartitions(int v) {
            topicPartitions = v;
            return this;
        }

        public Builder tasks(TaskWindows v) {
            tasks = v;
            return this;
        }

        public Builder allowedLateness(Duration v) {
            allowedLateness = v;
            return this;
        }

        public Builder maxOutOfOrderness(Duration v) {
            maxOutOfOrderness = v;
            return this;
        }

        public Builder idleTimeout(Duration v) {
            idleTimeout = v;
            return this;
        }

        public Builder emptyPartitionTimeout(Duration v) {
            emptyPartitionTimeout = v;
            return this;
        }

        public Builder negativeSampleRate(double v) {
            negativeSampleRate = v;
            return this;
        }

        public Builder samplingSeed(long v) {
            samplingSeed = v;
            return this;
        }

        public Builder stateTtl(Duration v) {
            stateTtl = v;
            return this;
        }

        public Builder stateBackend(String v) {
            stateBackend = v;
            return this;
        }

        public Builder checkpointInterval(Duration v) {
            checkpointInterval = v;
            return this;
        }

        public Builder checkpointDir(Path v) {
            checkpointDir = v;
            return this;
        }

        public Builder parallelism(int v) {
            parallelism = v;
            return this;
        }

        public Builder groupId(String v) {
            groupId = v;
            return this;
        }

        public Builder transactionalIdPrefix(String v) {
            transactionalIdPrefix = v;
            return this;
        }

        public Builder limits(EventLimits v) {
            limits = v;
            return this;
        }

        public Builder features(FeatureConfig v) {
            features = v;
            return this;
        }

        public Builder refitInterval(Duration v) {
            refitInterval = v;
            return this;
        }

        public Builder bootstrapSamples(long v) {
            bootstrapSamples = v;
            return this;
        }

        public PipelineConfig build() {
            return new PipelineConfig(
                    bootstrapServers,
                    topics,
                    topicPartitions,
                    tasks,
                    allowedLateness,
                    maxOutOfOrderness,
                    idleTimeout,
                    emptyPartitionTimeout,
                    negativeSampleRate,
                    samplingSeed,
                    stateTtl,
                    stateBackend,
                    checkpointInterval,
                    checkpointDir,
                    parallelism,
                    groupId,
                    transactionalIdPrefix,
                    limits,
                    features,
                    refitInterval,
                    bootstrapSamples);
        }
    }
}
