package dev.freshet.cli.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.freshet.flink.config.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Turns Open Bandit Dataset logs into Freshet impressions and click engagements, in event-time
 * order.
 *
 * <p>Each log row is one impression. The logs record that a click happened but not when, so each
 * click gets an engagement time of its impression plus a delay drawn uniformly from [1s, {@code
 * clickDelayMax}] by a {@code Random} seeded with {@code seed}: the same inputs give the same
 * replay. Rows are a thinned sample, so each impression is its own request.
 */
public final class OpenBanditReader {

    private static final JsonFactory JSON = new JsonFactory();
    private static final String AFFINITY_PREFIX = "user-item_affinity_";
    private static final List<String> USER_FEATURES =
            List.of("user_feature_0", "user_feature_1", "user_feature_2", "user_feature_3");
    private static final String ITEM_DENSE_FEATURE = "item_feature_0";
    private static final List<String> ITEM_SPARSE_FEATURES =
            List.of("item_feature_1", "item_feature_2", "item_feature_3");
    private static final long MIN_CLICK_DELAY_MS = 1000;

    /** {@code 2019-11-24 00:01:03.979311+00:00}; the fraction is optional. */
    private static final DateTimeFormatter TIMESTAMP =
            new DateTimeFormatterBuilder()
                    .appendPattern("yyyy-MM-dd HH:mm:ss")
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
                    .optionalEnd()
                    .appendOffset("+HH:MM", "Z")
                    .toFormatter();

    private final Topics topics;
    private final long seed;
    private final long clickDelayMaxMs;
    private final TimeBase timeBase;
    private final Clock clock;

    public OpenBanditReader(
            Topics topics, long seed, Duration clickDelayMax, TimeBase timeBase, Clock clock) {
        if (clickDelayMax.toMillis() < MIN_CLICK_DELAY_MS) {
            throw new IllegalArgumentException("click delay max must be at least 1s");
        }
        this.topics = topics;
        this.seed = seed;
        this.clickDelayMaxMs = clickDelayMax.toMillis();
        this.timeBase = timeBase;
        this.clock = clock;
    }

    /** One log row with what the events need; times are rebased once all rows are known. */
    private record Row(
            String impressionId,
            String requestId,
            String userId,
            String itemId,
            int position,
            long loggedTime,
            Columns columns,
            double[] dense,
            String[] sparse,
            long clickDelay) {}

    /** Feature names of one log, shared by its rows; NaN or null in a row means absent. */
    private record Columns(List<String> dense, List<String> sparse) {}

    /** All impressions and clicks of {@code logs}, sorted by event time. */
    public List<ReplayEvent> read(List<OpenBanditFiles.Log> logs) throws IOException {
        Random delays = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (OpenBanditFiles.Log log : logs) {
            readLog(log, delays, rows);
        }
        long shift = shiftMillis(rows);
        List<ReplayEvent> events = new ArrayList<>(rows.size() + rows.size() / 100);
        for (Row row : rows) {
            long time = row.loggedTime() + shift;
            events.add(
                    new ReplayEvent(
                            topics.impressions(), row.impressionId(), time, impression(row, time)));
            if (row.clickDelay() > 0) {
                long clickTime = time + row.clickDelay();
                events.add(
                        new ReplayEvent(
                                topics.engagements(),
                                row.impressionId(),
                                clickTime,
                                click(row.impressionId(), clickTime)));
            }
        }
        // Stable: at equal times an impression stays ahead of what followed it in the logs.
        events.sort(Comparator.comparingLong(ReplayEvent::eventTime));
        return events;
    }

    /**
     * With {@link TimeBase#NOW} the newest impression lands two click-delay windows before now, so
     * its click (at most one window later) is still in the past.
     */
    private long shiftMillis(List<Row> rows) {
        if (timeBase == TimeBase.ORIGINAL || rows.isEmpty()) {
            return 0;
        }
        long newest = rows.stream().mapToLong(Row::loggedTime).max().orElseThrow();
        return clock.millis() - 2 * clickDelayMaxMs - newest;
    }

    private void readLog(OpenBanditFiles.Log log, Random delays, List<Row> out) throws IOException {
        Map<String, Item> items = itemContext(log);
        String prefix = log.policy() + "-" + log.campaign() + "-";
        try (CsvTable table = CsvTable.open(log.log())) {
            List<String> logDense = new ArrayList<>();
            for (String c : table.columns()) {
                if (c.equals("propensity_score") || c.startsWith(AFFINITY_PREFIX)) {
                    logDense.add(c);
                }
            }
            List<String> dense = new ArrayList<>(logDense);
            dense.add(ITEM_DENSE_FEATURE);
            List<String> sparse = new ArrayList<>(USER_FEATURES);
            sparse.addAll(ITEM_SPARSE_FEATURES);
            sparse.add("campaign");
            sparse.add("policy");
            Columns columns = new Columns(List.copyOf(dense), List.copyOf(sparse));
            MessageDigest sha256 = sha256();
            long rowNumber = 0;
            for (String[] cells = table.next(); cells != null; cells = table.next(), rowNumber++) {
                String index = table.has("") ? table.get(cells, "") : "";
                String itemId = table.get(cells, "item_id");
                Item item = items.get(itemId);

                double[] denseValues = new double[dense.size()];
                for (int i = 0; i < logDense.size(); i++) {
                    denseValues[i] =
                            number(table, table.get(cells, logDense.get(i)), logDense.get(i));
                }
                // An unknown item's feature is missing (NaN here, absent in the JSON), not zero.
                denseValues[logDense.size()] = item == null ? Double.NaN : item.dense();
                String[] sparseValues = new String[sparse.size()];
                for (int i = 0; i < USER_FEATURES.size(); i++) {
                    sparseValues[i] = table.get(cells, USER_FEATURES.get(i));
                }
                for (int i = 0; i < ITEM_SPARSE_FEATURES.size(); i++) {
                    sparseValues[USER_FEATURES.size() + i] = item == null ? null : item.sparse()[i];
                }
                sparseValues[sparse.size() - 2] = log.campaign();
                sparseValues[sparse.size() - 1] = log.policy();

                boolean clicked = integer(table, cells, "click") == 1;
                out.add(
                        new Row(
                                prefix + (index.isEmpty() ? Long.toString(rowNumber) : index),
                                prefix + table.get(cells, "timestamp"),
                                userId(sha256, sparseValues),
                                log.campaign() + "-" + itemId,
                                integer(table, cells, "position"),
                                timestampMillis(table, cells),
                                columns,
                                denseValues,
                                sparseValues,
                                // Drawn in log order, so the same seed gives the same delays.
                                clicked ? clickDelay(delays) : 0));
            }
        }
    }

    private long clickDelay(Random delays) {
        return MIN_CLICK_DELAY_MS + delays.nextLong(clickDelayMaxMs - MIN_CLICK_DELAY_MS + 1);
    }

    private static byte[] impression(Row row, long time) {
        return json(
                g -> {
                    g.writeStringField("impression_id", row.impressionId());
                    g.writeStringField("request_id", row.requestId());
                    g.writeStringField("user_id", row.userId());
                    g.writeStringField("item_id", row.itemId());
                    g.writeNumberField("event_time", time);
                    g.writeNumberField("position", row.position());
                    g.writeObjectFieldStart("dense");
                    for (int i = 0; i < row.dense().length; i++) {
                        if (!Double.isNaN(row.dense()[i])) {
                            g.writeNumberField(row.columns().dense().get(i), row.dense()[i]);
                        }
                    }
                    g.writeEndObject();
                    g.writeObjectFieldStart("sparse");
                    for (int i = 0; i < row.sparse().length; i++) {
                        if (row.sparse()[i] != null) {
                            g.writeStringField(row.columns().sparse().get(i), row.sparse()[i]);
                        }
                    }
                    g.writeEndObject();
                });
    }

    private static byte[] click(String impressionId, long time) {
        return json(
                g -> {
                    g.writeStringField("engagement_id", impressionId + ":click");
                    g.writeStringField("impression_id", impressionId);
                    g.writeStringField("type", "click");
                    g.writeNumberField("event_time", time);
                });
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] json(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON to memory", e);
        }
        return out.toByteArray();
    }

    /** One row of item_context.csv: the dense item feature and the hashed ones. */
    private record Item(double dense, String[] sparse) {}

    private static Map<String, Item> itemContext(OpenBanditFiles.Log log) throws IOException {
        Map<String, Item> items = new HashMap<>();
        if (log.itemContext() == null) {
            return items;
        }
        try (CsvTable table = CsvTable.open(log.itemContext())) {
            for (String[] row = table.next(); row != null; row = table.next()) {
                String[] sparse = new String[ITEM_SPARSE_FEATURES.size()];
                for (int i = 0; i < sparse.length; i++) {
                    sparse[i] = table.get(row, ITEM_SPARSE_FEATURES.get(i));
                }
                double dense =
                        number(table, table.get(row, ITEM_DENSE_FEATURE), ITEM_DENSE_FEATURE);
                items.put(table.get(row, "item_id"), new Item(dense, sparse));
            }
        }
        return items;
    }

    /**
     * A stable pseudonymous user from the four hashed user features (the first four sparse values).
     */
    private static String userId(MessageDigest sha256, String[] sparse) {
        sha256.reset();
        for (int i = 0; i < USER_FEATURES.size(); i++) {
            sha256.update(sparse[i].getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) '|');
        }
        return "u" + HexFormat.of().formatHex(sha256.digest(), 0, 8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static long timestampMillis(CsvTable table, String[] row) throws IOException {
        String text = table.get(row, "timestamp");
        try {
            return OffsetDateTime.parse(text, TIMESTAMP).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IOException(table.where() + ": bad timestamp '" + text + "'", e);
        }
    }

    private static int integer(CsvTable table, String[] row, String column) throws IOException {
        String text = table.get(row, column);
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IOException(
                    table.where() + ": " + column + " is not an integer: '" + text + "'");
        }
    }

    private static double number(CsvTable table, String text, String column) throws IOException {
        try {
            double value = Double.parseDouble(text.trim());
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException(
                table.where() + ": " + column + " is not a finite number: '" + text + "'");
    }
}
