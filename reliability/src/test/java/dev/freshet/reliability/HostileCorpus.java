package dev.freshet.reliability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.features.event.EventLimits;
import dev.freshet.reliability.HostileRecord.Outcome;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded generator of malformed and adversarial {@code impressions} and {@code engagements}
 * records, each tagged with what the pipeline must do with it (see docs/LABEL-JOIN.md, "Bad input
 * never stops the job", and docs/RELIABILITY.md). The same seed, limits and traffic give the same
 * records.
 */
final class HostileCorpus {

    /** What is wrong with a record. */
    enum Kind {
        BROKEN_UTF8,
        DEEP_NESTING,
        OVERSIZED,
        NEAR_LIMIT,
        NON_FINITE,
        WRONG_TYPE,
        MISSING_FIELD,
        NEGATIVE_TIME,
        FAR_FUTURE_TIME,
        ID_TOO_LONG,
        EMPTY,
        NOT_AN_OBJECT,
        TRAILING_GARBAGE,
        DUPLICATE_STORM,
        UNKNOWN_TYPE
    }

    private static final String RAW = "__RAW__";
    private static final String[] IMPRESSION_IDS = {"impression_id", "request_id"};
    private static final String[] ENGAGEMENT_IDS = {"engagement_id", "impression_id", "type"};
    private static final String[] WRONG_ID_VALUES = {"42", "true", "[]", "{}", "1.5", "[\"a\"]"};
    private static final String[] WRONG_TIME_VALUES = {
        "\"1732262400000\"", "1.5", "1.7e12", "true", "[]", "{}", "99999999999999999999"
    };
    private static final String[] NON_FINITE_VALUES = {
        "NaN", "Infinity", "-Infinity", "1e400", "-1e400"
    };

    private final Random random;
    private final EventLimits limits;
    private final long now;
    private final List<HostileRecord> out = new ArrayList<>();
    private int seq;
    private long at;

    private HostileCorpus(long seed, EventLimits limits, long now) {
        this.random = new Random(seed);
        this.limits = limits;
        this.now = now;
    }

    /**
     * {@code deadLetters} records that must be dead-lettered (60% impressions), plus duplicate
     * storms, unknown engagement types and near-limit valid impressions around {@code valid}.
     */
    static List<HostileRecord> generate(
            long seed, EventLimits limits, long now, ValidTraffic valid, int deadLetters) {
        HostileCorpus c = new HostileCorpus(seed, limits, now);
        long from = valid.impressions.get(0).time();
        long to = valid.impressions.get(valid.impressions.size() - 1).time();
        for (int i = 0; i < deadLetters; i++) {
            c.at = from + (long) (c.random.nextDouble() * (to - from));
            c.deadLetter(i % 5 < 3 ? "impressions" : "engagements", c.at);
        }
        c.storms(valid);
        c.unknownTypes(valid);
        for (int i = 0; i < 40; i++) {
            ValidTraffic.Event e =
                    valid.impressions.get(c.random.nextInt(valid.impressions.size()));
            c.nearLimit(e.time());
        }
        return c.out;
    }

    static Map<Kind, Integer> countByKind(List<HostileRecord> records) {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        records.forEach(r -> counts.merge(r.kind(), 1, Integer::sum));
        return counts;
    }

    private void deadLetter(String topic, long at) {
        boolean imp = topic.equals("impressions");
        int roll = random.nextInt(100);
        if (roll < 10) {
            brokenUtf8(topic, at);
        } else if (roll < 12) {
            String open = random.nextBoolean() ? "[" : "{\"a\":";
            int depth = random.nextBoolean() ? 10_000 : 1_001 + random.nextInt(3000);
            String close = open.equals("[") ? "]" : "}";
            String nested = open.repeat(depth) + "1" + close.repeat(depth);
            dead(
                    topic,
                    Kind.DEEP_NESTING,
                    "unparseable",
                    withRaw(base(topic, at), "dense", nested));
        } else if (roll < 14) {
            oversized(topic, at);
        } else if (roll < 24) {
            ObjectNode o = base(topic, at);
            String v = pick(NON_FINITE_VALUES);
            String field =
                    imp ? pick(new String[] {"event_time", "dense", "embeddings"}) : "event_time";
            String raw =
                    switch (field) {
                        case "dense" -> "{\"price\":" + v + "}";
                        case "embeddings" -> "{\"e\":[0.5," + (v.equals("NaN") ? v : "1e39") + "]}";
                        default -> v;
                    };
            dead(topic, Kind.NON_FINITE, "non_finite", withRaw(o, field, raw));
        } else if (roll < 40) {
            wrongType(topic, at, imp);
        } else if (roll < 52) {
            ObjectNode o = base(topic, at);
            String field = pick(requiredFields(imp));
            int how = random.nextInt(3);
            if (how == 0) {
                o.remove(field);
            } else if (how == 1) {
                o.putNull(field);
            } else if (!field.equals("event_time")) {
                o.put(field, "");
            } else {
                o.remove(field);
            }
            dead(topic, Kind.MISSING_FIELD, "missing_field", bytes(o.toString()));
        } else if (roll < 60) {
            long[] times = {-1, -random.nextInt(1_000_000_000), 0, 946_684_799_999L, now / 1000};
            ObjectNode o = base(topic, at).put("event_time", times[random.nextInt(times.length)]);
            dead(topic, Kind.NEGATIVE_TIME, "absurd_timestamp", bytes(o.toString()));
        } else if (roll < 68) {
            long[] times = {
                now + 2 * 86_400_000L + random.nextInt(1_000_000), now * 1000, Long.MAX_VALUE
            };
            ObjectNode o = base(topic, at).put("event_time", times[random.nextInt(times.length)]);
            dead(topic, Kind.FAR_FUTURE_TIME, "absurd_timestamp", bytes(o.toString()));
        } else if (roll < 76) {
            ObjectNode o = base(topic, at);
            String[] ids =
                    imp
                            ? new String[] {"impression_id", "request_id", "user_id", "item_id"}
                            : ENGAGEMENT_IDS;
            o.put(pick(ids), "x".repeat(limits.maxIdLength() + 1 + random.nextInt(2000)));
            dead(topic, Kind.ID_TOO_LONG, "oversized", bytes(o.toString()));
        } else if (roll < 82) {
            byte[][] empties = {null, new byte[0], bytes(" "), bytes("\n\t ")};
            dead(topic, Kind.EMPTY, "unparseable", empties[random.nextInt(empties.length)]);
        } else if (roll < 90) {
            String[] values = {"[]", "[1,2]", "\"impression\"", "42", "null", "true", "[{}]"};
            dead(topic, Kind.NOT_AN_OBJECT, "unparseable", bytes(pick(values)));
        } else {
            String json = base(topic, at).toString();
            String[] tails = {" x", "}", "{}", json, "\u0000", ",", " // c"};
            String bad =
                    random.nextInt(4) == 0
                            ? json.replaceFirst("\\{", "{\"event_time\":1,")
                            : json + pick(tails);
            dead(topic, Kind.TRAILING_GARBAGE, "unparseable", bytes(bad));
        }
    }

    private void brokenUtf8(String topic, long at) {
        byte[][] junk = {
            {(byte) 0xff},
            {(byte) 0xc3, 0x28},
            {(byte) 0xe2, (byte) 0x82},
            {(byte) 0x80},
            {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0xfe},
            {(byte) 0xc0, (byte) 0xaf},
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80}
        };
        byte[] json = bytes(base(topic, at).toString());
        byte[] j = junk[random.nextInt(junk.length)];
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int mode = random.nextInt(3);
        if (mode == 0) { // at the start
            b.writeBytes(j);
            b.writeBytes(json);
        } else if (mode == 1) { // inside the first string value
            int quote = indexOf(json, (byte) '"', indexOf(json, (byte) ':', 0)) + 1;
            b.write(json, 0, quote);
            b.writeBytes(j);
            b.write(json, quote, json.length - quote);
        } else { // random bytes
            byte[] r = new byte[1 + random.nextInt(200)];
            random.nextBytes(r);
            r[0] = (byte) 0xff;
            b.writeBytes(r);
        }
        dead(topic, Kind.BROKEN_UTF8, "unparseable", b.toByteArray());
    }

    private void oversized(String topic, long at) {
        ObjectNode o = base(topic, at);
        int size = limits.maxRecordBytes() + 1 + random.nextInt(4096);
        if (random.nextInt(50) == 0) {
            size = Math.max(size, 900_000);
        }
        String field = topic.equals("impressions") ? "sparse" : "note";
        if (random.nextBoolean()) {
            o.putObject(field).put("blob", "y".repeat(size));
        } else {
            var array = o.putObject(field).putArray("tags");
            for (int n = 0; n <= size / 5; n++) { // 5 bytes each: "t0",
                array.add("t" + (n % 10));
            }
        }
        dead(topic, Kind.OVERSIZED, "oversized", bytes(o.toString()));
    }

    private void wrongType(String topic, long at, boolean imp) {
        ObjectNode o = base(topic, at);
        if (imp && random.nextInt(3) == 0) {
            String[][] optional = {
                {"user_id", "5"},
                {"item_id", "[]"},
                {"position", "\"1\""},
                {"position", "1.5"},
                {"position", "3000000000"},
                {"dense", "[]"},
                {"dense", "{\"a\":\"x\"}"},
                {"sparse", "{\"a\":5}"},
                {"sparse", "{\"a\":[1]}"},
                {"sparse", "\"s\""},
                {"embeddings", "{\"a\":\"x\"}"},
                {"embeddings", "{\"a\":[\"x\"]}"},
                {"dense", "{\"a\":" + "{\"a\":".repeat(500) + "1" + "}".repeat(500) + "}"}
            };
            String[] f = optional[random.nextInt(optional.length)];
            dead(topic, Kind.WRONG_TYPE, "wrong_type", withRaw(o, f[0], f[1]));
            return;
        }
        String field = pick(requiredFields(imp));
        String raw = field.equals("event_time") ? pick(WRONG_TIME_VALUES) : pick(WRONG_ID_VALUES);
        dead(topic, Kind.WRONG_TYPE, "wrong_type", withRaw(o, field, raw));
    }

    /** The same valid impression 300 times and the same valid engagement 200 times, 10 each. */
    private void storms(ValidTraffic valid) {
        for (int s = 0; s < 10; s++) {
            ValidTraffic.Event imp =
                    valid.impressions.get(random.nextInt(valid.impressions.size()));
            for (int i = 0; i < 300; i++) {
                ignored(imp.topic(), Kind.DUPLICATE_STORM, imp.id(), imp.value(), imp.time());
            }
            ValidTraffic.Event eng =
                    valid.engagements.get(random.nextInt(valid.engagements.size()));
            for (int i = 0; i < 200; i++) {
                ignored(eng.topic(), Kind.DUPLICATE_STORM, eng.id(), eng.value(), eng.time());
            }
        }
    }

    private void unknownTypes(ValidTraffic valid) {
        String[] types = {"teleport", "CLICK", "click ", "", "\u00e9", "pay\u0000", "null"};
        for (int i = 0; i < 300; i++) {
            ValidTraffic.Event imp =
                    valid.impressions.get(random.nextInt(valid.impressions.size()));
            String type = types[random.nextInt(types.length)];
            if (type.isEmpty()) {
                type = "t" + random.nextInt(1000);
            }
            long t = imp.time() + 200;
            byte[] value =
                    bytes(ValidTraffic.engagementNode("u-" + seq++, imp.id(), type, t).toString());
            ignored("engagements", Kind.UNKNOWN_TYPE, imp.id(), value, t);
        }
    }

    /** A valid impression whose size is within 64 bytes below max_record_bytes. */
    private void nearLimit(long at) {
        String id = "near-" + seq++;
        ObjectNode o = ValidTraffic.impressionNode(id, "near-r", at);
        o.with("sparse").put("blob", "");
        int target = limits.maxRecordBytes() - random.nextInt(64);
        int pad = target - bytes(o.toString()).length;
        o.with("sparse").put("blob", "z".repeat(pad));
        out.add(
                new HostileRecord(
                        "impressions",
                        Kind.NEAR_LIMIT,
                        Outcome.SAMPLE,
                        null,
                        bytes(id),
                        bytes(o.toString()),
                        at));
    }

    private ObjectNode base(String topic, long at) {
        String id = "h-" + seq++;
        return topic.equals("impressions")
                ? ValidTraffic.impressionNode(id, "hr", at)
                : ValidTraffic.engagementNode(id, "v-0", "click", at);
    }

    private void dead(String topic, Kind kind, String reason, byte[] value) {
        byte[] key = random.nextInt(4) == 0 ? null : bytes("k-" + seq++);
        out.add(new HostileRecord(topic, kind, Outcome.DEAD_LETTER, reason, key, value, at));
    }

    private void ignored(String topic, Kind kind, String key, byte[] value, long at) {
        out.add(new HostileRecord(topic, kind, Outcome.IGNORED, null, bytes(key), value, at));
    }

    private static String[] requiredFields(boolean impression) {
        String[] ids = impression ? IMPRESSION_IDS : ENGAGEMENT_IDS;
        String[] all = java.util.Arrays.copyOf(ids, ids.length + 1);
        all[ids.length] = "event_time";
        return all;
    }

    private static byte[] withRaw(ObjectNode o, String field, String raw) {
        o.put(field, RAW);
        return bytes(o.toString().replace("\"" + RAW + "\"", raw));
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
