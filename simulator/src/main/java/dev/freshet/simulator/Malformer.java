package dev.freshet.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Turns a valid record into one of the kinds of bad input a real pipeline sees. Every kind but
 * {@link Kind#UNKNOWN_TYPE} is rejected by the features module's event parser; an unknown
 * engagement type parses, and the label join counts and ignores it.
 */
final class Malformer {

    enum Kind {
        TRUNCATED,
        NOT_JSON,
        MISSING_FIELD,
        WRONG_TYPE,
        NAN_DENSE,
        ABSURD_TIMESTAMP,
        UNKNOWN_TYPE
    }

    private static final String[] IMPRESSION_REQUIRED = {
        "impression_id", "request_id", "event_time"
    };
    private static final String[] ENGAGEMENT_REQUIRED = {
        "engagement_id", "impression_id", "type", "event_time"
    };
    private static final String[] NAN_STRINGS = {"NaN", "nan", "Infinity", "-inf", "n/a", ""};
    private static final String[] UNKNOWN_TYPES = {"like", "share", "purchase", "CLICK"};

    private Malformer() {}

    /** The malformed bytes; {@code record} may be changed. */
    static byte[] corrupt(SplittableRandom r, ObjectNode record, boolean impression) {
        Kind[] kinds = Kind.values();
        Kind kind = kinds[r.nextInt(kinds.length)];
        if (impression && kind == Kind.UNKNOWN_TYPE) {
            kind = Kind.WRONG_TYPE;
        }
        if (!impression && kind == Kind.NAN_DENSE) {
            kind = Kind.ABSURD_TIMESTAMP;
        }
        switch (kind) {
            case TRUNCATED -> {
                byte[] whole = Json.bytes(record);
                return Arrays.copyOf(whole, 1 + r.nextInt(whole.length - 1));
            }
            case NOT_JSON -> {
                String text =
                        switch (r.nextInt(3)) {
                            case 0 -> "impression " + record.path("impression_id").asText();
                            case 1 -> "<html><body>502 Bad Gateway</body></html>";
                            default -> "\u0000\u0001binary\uFFFD";
                        };
                return text.getBytes(StandardCharsets.UTF_8);
            }
            case MISSING_FIELD -> {
                String[] required = impression ? IMPRESSION_REQUIRED : ENGAGEMENT_REQUIRED;
                record.remove(required[r.nextInt(required.length)]);
            }
            case WRONG_TYPE -> {
                if (impression && r.nextBoolean()) {
                    record.put("position", record.path("position").asText());
                } else {
                    record.put("event_time", record.path("event_time").asText());
                }
            }
            case NAN_DENSE -> {
                String[] names = {"price", "item_ctr_7d", "distance_km"};
                ((ObjectNode) record.get("dense"))
                        .put(
                                names[r.nextInt(names.length)],
                                NAN_STRINGS[r.nextInt(NAN_STRINGS.length)]);
            }
            case ABSURD_TIMESTAMP -> {
                long t = record.path("event_time").asLong();
                // Seconds instead of milliseconds, or a clock years ahead.
                record.put("event_time", r.nextBoolean() ? t / 1000 : t + 10L * 365 * 86_400_000);
            }
            case UNKNOWN_TYPE -> record.put("type", UNKNOWN_TYPES[r.nextInt(UNKNOWN_TYPES.length)]);
        }
        return Json.bytes(record);
    }
}
