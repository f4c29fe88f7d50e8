package dev.freshet.bench;

import dev.freshet.flink.config.PipelineConfig;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * The reference: the same label join in Flink SQL. An event-time interval LEFT JOIN of impressions
 * with the engagements in the longest window after them, then a tumbling-window aggregation per
 * impression that turns the joined rows into per-task 0/1 labels. Both steps are append-only, so
 * the result goes to a plain exactly-once Kafka sink, one JSON row per impression, keyed by
 * impression id.
 *
 * <p>Unlike our job it needs the feature names up front (typed ROWs matching the generator), has no
 * dead-letter or late-engagement outputs and does not deduplicate.
 */
final class SqlLabelJoin {

    static final String DENSE = "ROW<price DOUBLE, distance_km DOUBLE, item_ctr_7d DOUBLE>";
    static final String SPARSE = "ROW<category STRING, city STRING, tags ARRAY<STRING>>";
    static final String EMBEDDINGS = "ROW<user_seq ARRAY<FLOAT>>";
    static final String LABELS = "ROW<click INT, save INT, hide INT, pay INT>";

    private SqlLabelJoin() {}

    static JobClient submit(StreamExecutionEnvironment env, PipelineConfig config) {
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        for (String statement : ddl(config)) {
            tables.executeSql(statement);
        }
        TableResult result = tables.executeSql(insert());
        return result.getJobClient().orElseThrow();
    }

    static String[] ddl(PipelineConfig config) {
        long ooo = BenchTasks.OUT_OF_ORDERNESS.toMillis();
        String watermark =
                "WATERMARK FOR ts AS ts - INTERVAL '"
                        + (ooo / 1000)
                        + "."
                        + String.format(java.util.Locale.ROOT, "%03d", ooo % 1000)
                        + "' SECOND";
        return new String[] {
            "CREATE TABLE impressions (\n"
                    + "  impression_id STRING, request_id STRING, user_id STRING, item_id STRING,\n"
                    + "  event_time BIGINT, `position` INT,\n"
                    + "  dense "
                    + DENSE
                    + ", sparse "
                    + SPARSE
                    + ", embeddings "
                    + EMBEDDINGS
                    + ",\n"
                    + "  ts AS TO_TIMESTAMP_LTZ(event_time, 3),\n"
                    + "  "
                    + watermark
                    + "\n"
                    + ") WITH ("
                    + source(config, config.topics().impressions())
                    + ")",
            "CREATE TABLE engagements (\n"
                    + "  engagement_id STRING, impression_id STRING, `type` STRING, event_time BIGINT,\n"
                    + "  ts AS TO_TIMESTAMP_LTZ(event_time, 3),\n"
                    + "  "
                    + watermark
                    + "\n"
                    + ") WITH ("
                    + source(config, config.topics().engagements())
                    + ")",
            "CREATE TABLE samples_sql (\n"
                    + "  impression_id STRING, request_id STRING, user_id STRING, item_id STRING,\n"
                    + "  `position` INT, event_time BIGINT, spec_version STRING,\n"
                    + "  labels "
                    + LABELS
                    + ", weight FLOAT,\n"
                    + "  dense "
                    + DENSE
                    + ", sparse "
                    + SPARSE
                    + ", embeddings "
                    + EMBEDDINGS
                    + "\n"
                    + ") WITH ("
                    + sink(config)
                    + ")",
            "CREATE TEMPORARY VIEW joined AS\n"
                    + "SELECT i.impression_id, i.request_id, i.user_id, i.item_id, i.`position`,\n"
                    + "       i.event_time, i.dense, i.sparse, i.embeddings,\n"
                    + "       i.ts AS its, e.`type` AS etype, e.ts AS ets\n"
                    + "FROM impressions i LEFT JOIN engagements e\n"
                    + "  ON i.impression_id = e.impression_id\n"
                    + "  AND e.ts BETWEEN i.ts AND i.ts + INTERVAL '"
                    + seconds(BenchTasks.MAX_WINDOW_MILLIS)
                    + "' SECOND"
        };
    }

    static String insert() {
        StringBuilder labels = new StringBuilder();
        for (int t = 0; t < BenchTasks.TASKS.length; t++) {
            labels.append(t == 0 ? "" : ",\n    ")
                    .append("MAX(CASE WHEN etype = '")
                    .append(BenchTasks.TASKS[t])
                    .append("' AND ets <= its + INTERVAL '")
                    .append(seconds(BenchTasks.WINDOW_MILLIS[t]))
                    .append("' SECOND THEN 1 ELSE 0 END)");
        }
        return "INSERT INTO samples_sql\n"
                + "SELECT impression_id, request_id, user_id, item_id, `position`, event_time, 'raw',\n"
                + "  CAST(ROW(\n    "
                + labels
                + ") AS "
                + LABELS
                + "),\n"
                + "  CAST(1.0 AS FLOAT), dense, sparse, embeddings\n"
                + "FROM TABLE(TUMBLE(TABLE joined, DESCRIPTOR(its), INTERVAL '1' SECOND))\n"
                + "GROUP BY window_start, window_end, impression_id, request_id, user_id, item_id,\n"
                + "  `position`, event_time, dense, sparse, embeddings";
    }

    private static String source(PipelineConfig config, String topic) {
        return String.join(
                ",\n  ",
                "\n  'connector' = 'kafka'",
                "'topic' = '" + topic + "'",
                "'properties.bootstrap.servers' = '" + config.bootstrapServers() + "'",
                "'properties.group.id' = '" + config.groupId() + "'",
                "'properties.isolation.level' = 'read_committed'",
                "'scan.startup.mode' = 'earliest-offset'",
                "'format' = 'json'",
                // Bad records are skipped: the SQL version has no dead-letter topic.
                "'json.ignore-parse-errors' = 'true'\n");
    }

    private static String sink(PipelineConfig config) {
        return String.join(
                ",\n  ",
                "\n  'connector' = 'kafka'",
                "'topic' = '" + config.topics().samples() + "'",
                "'properties.bootstrap.servers' = '" + config.bootstrapServers() + "'",
                "'key.format' = 'raw'",
                "'key.fields' = 'impression_id'",
                "'value.format' = 'json'",
                "'value.fields-include' = 'ALL'",
                "'sink.delivery-guarantee' = 'exactly-once'",
                "'sink.transactional-id-prefix' = '" + config.transactionalIdPrefix() + "'",
                // The same producer settings as our job's sink (KafkaPipeline.sink).
                "'properties.transaction.timeout.ms' = '900000'",
                "'properties.compression.type' = 'lz4'",
                "'properties.linger.ms' = '20'\n");
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0
                ? Long.toString(millis / 1000)
                : String.format(java.util.Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
