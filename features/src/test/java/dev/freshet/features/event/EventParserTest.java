package dev.freshet.features.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventParserTest {

    /** The parser's notion of "now": 2024-11-22T08:00:00Z, just before the spec's example event. */
    private static final Instant NOW = Instant.ofEpochMilli(1732262400000L);

    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final EventParser parser = new EventParser(EventLimits.DEFAULTS, CLOCK);

    /** The impression of PRODUCT.md section 1, with a concrete three-element embedding. */
    private static final String SPEC_IMPRESSION =
            """
            {"impression_id": "r81f2:3", "request_id": "r81f2", "user_id": "u123", "item_id": "i9",
             "event_time": 1732262400123, "position": 3,
             "dense":  {"price": 12.5, "distance_km": null, "item_ctr_7d": 0.031},
             "sparse": {"category": "food", "city": "beijing", "tags": ["spicy", "noodles"]},
             "embeddings": {"user_seq": [0.013, -0.2, 0.5]}}
            """;

    private static final String SPEC_ENGAGEMENT =
            """
            {"engagement_id": "e1", "impression_id": "r81f2:3", "type": "save",
             "event_time": 1732262405000}
            """;

    @Test
    void parsesTheSpecImpressionToTheExactRecord() {
        Map<String, Double> dense = new LinkedHashMap<>();
        dense.put("price", 12.5);
        dense.put("distance_km", null);
        dense.put("item_ctr_7d", 0.031);
        Impression expected =
                new Impression(
                        "r81f2:3",
                        "r81f2",
                        "u123",
                        "i9",
                        1732262400123L,
                        3,
                        new RawFeatures(
                                dense,
                                Map.of(
                                        "category", List.of("food"),
                                        "city", List.of("beijing"),
                                        "tags", List.of("spicy", "noodles")),
                                Map.of("user_seq", new float[] {0.013f, -0.2f, 0.5f})));

        Impression parsed = ok(parser.parseImpression(bytes(SPEC_IMPRESSION)));

        assertThat(parsed).isEqualTo(expected);
        // A null dense value is missing, not zero and not dropped.
        assertThat(parsed.features().dense())
                .containsKey("distance_km")
                .containsEntry("distance_km", null);
        assertThat(parsed.features().dense().keySet())
                .containsExactly("price", "distance_km", "item_ctr_7d");
        assertThat(parsed.features().embeddings().get("user_seq"))
                .containsExactly(0.013f, -0.2f, 0.5f);
    }

    @Test
    void equalityOfParsedImpressionsSeesEmbeddingValues() {
        // Guards the test above: the record comparison must look inside the float arrays.
        Impression parsed = ok(parser.parseImpression(bytes(SPEC_IMPRESSION)));
        Impression other =
                ok(parser.parseImpression(bytes(SPEC_IMPRESSION.replace("0.5]", "0.25]"))));

        assertThat(parsed).isNotEqualTo(other);
    }

    @Test
    void parsesAMinimalImpressionWithOnlyTheRequiredFields() {
        Impression parsed =
                ok(
                        parser.parseImpression(
                                bytes(
                                        """
                                        {"impression_id": "i1", "request_id": "r1",
                                         "event_time": 1732262400000}
                                        """)));

        assertThat(parsed).isEqualTo(Impression.of("i1", "r1", 1732262400000L));
        assertThat(parsed.userId()).isNull();
        assertThat(parsed.position()).isNull();
        assertThat(parsed.features()).isEqualTo(RawFeatures.EMPTY);
    }

    @Test
    void parsesTheSpecEngagement() {
        Engagement parsed = ok(parser.parseEngagement(bytes(SPEC_ENGAGEMENT)));

        assertThat(parsed).isEqualTo(new Engagement("e1", "r81f2:3", "save", 1732262405000L));
    }

    @Test
    void acceptsAnEventTimeExactlyAtTheFutureSkewLimit() {
        long limit = NOW.plus(Duration.ofDays(1)).toEpochMilli();

        assertThat(ok(parser.parseImpression(impression("event_time", Long.toString(limit)))))
                .extracting(Impression::eventTime)
                .isEqualTo(limit);
    }

    static Stream<Arguments> topLevelGarbage() {
        return Stream.of(
                Arguments.of("not JSON", bytes("{oops")),
                Arguments.of("JSON array", bytes("[1, 2, 3]")),
                Arguments.of("JSON string", bytes("\"impression\"")),
                Arguments.of("JSON number", bytes("42")),
                Arguments.of("JSON null", bytes("null")),
                Arguments.of("empty bytes", new byte[0]),
                Arguments.of("only whitespace", bytes("  \n ")),
                Arguments.of(
                        "invalid UTF-8", new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}),
                Arguments.of(
                        "overlong UTF-8 in a string",
                        new byte[] {'{', '"', (byte) 0xc0, (byte) 0xaf, '"', ':', '1', '}'}),
                Arguments.of(
                        "UTF-8 encoded surrogate in a string",
                        new byte[] {
                            '{', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', ':', '1', '}'
                        }),
                Arguments.of("null bytes", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topLevelGarbage")
    void rejectsAnythingButAJsonObjectAsUnparseable(String name, byte[] value) {
        assertRejected(parser.parseImpression(value), RejectReason.UNPARSEABLE, "");
        assertRejected(parser.parseEngagement(value), RejectReason.UNPARSEABLE, "");
    }

    @Test
    void saysWhatItGotInsteadOfAnObject() {
        assertRejected(
                parser.parseImpression(bytes("[1, 2, 3]")), RejectReason.UNPARSEABLE, "ARRAY");
        assertRejected(parser.parseImpression(bytes("\"x\"")), RejectReason.UNPARSEABLE, "STRING");
        assertRejected(
                parser.parseImpression(bytes("{oops")), RejectReason.UNPARSEABLE, "not JSON");
    }

    @Test
    void rejectsTrailingContentAfterTheObject() {
        // Two records glued together, or an object followed by junk, is not one valid record.
        String valid = new String(impression(), StandardCharsets.UTF_8);

        assertRejected(parser.parseImpression(bytes(valid + valid)), RejectReason.UNPARSEABLE, "");
        assertRejected(
                parser.parseImpression(bytes(valid + " garbage")), RejectReason.UNPARSEABLE, "");
        assertRejected(
                parser.parseEngagement(bytes(SPEC_ENGAGEMENT + "}")), RejectReason.UNPARSEABLE, "");
    }

    @Test
    void rejectsDuplicateKeysAsUnparseable() {
        assertRejected(
                parser.parseImpression(
                        bytes(
                                """
                                {"impression_id": "a", "impression_id": "b", "request_id": "r",
                                 "event_time": 1732262400000}
                                """)),
                RejectReason.UNPARSEABLE,
                "impression_id");
        assertRejected(
                parser.parseImpression(impression("dense", "{\"price\": 1, \"price\": 2}")),
                RejectReason.UNPARSEABLE,
                "price");
    }

    static Stream<Arguments> badImpressions() {
        String tooLongId = "\"" + "x".repeat(EventLimits.DEFAULTS.maxIdLength() + 1) + "\"";
        long beyondSkew = NOW.plus(Duration.ofDays(1)).toEpochMilli() + 1;
        return Stream.of(
                // Missing required fields; null and empty count as missing.
                bad("impression_id", null, RejectReason.MISSING_FIELD, "impression_id"),
                bad("impression_id", "null", RejectReason.MISSING_FIELD, "impression_id"),
                bad("impression_id", "\"\"", RejectReason.MISSING_FIELD, "impression_id"),
                bad("request_id", null, RejectReason.MISSING_FIELD, "request_id"),
                bad("request_id", "\"\"", RejectReason.MISSING_FIELD, "request_id"),
                bad("event_time", null, RejectReason.MISSING_FIELD, "event_time"),
                bad("event_time", "null", RejectReason.MISSING_FIELD, "event_time"),
                // Wrong JSON types.
                bad("impression_id", "42", RejectReason.WRONG_TYPE, "impression_id"),
                bad("request_id", "{\"id\": \"r\"}", RejectReason.WRONG_TYPE, "request_id"),
                bad("user_id", "123", RejectReason.WRONG_TYPE, "user_id"),
                bad("item_id", "[\"i9\"]", RejectReason.WRONG_TYPE, "item_id"),
                bad("event_time", "\"1732262400123\"", RejectReason.WRONG_TYPE, "event_time"),
                bad("event_time", "1.5", RejectReason.WRONG_TYPE, "event_time"),
                bad("event_time", "1732262400123.0", RejectReason.WRONG_TYPE, "event_time"),
                bad("position", "\"3\"", RejectReason.WRONG_TYPE, "position"),
                bad("position", "2.5", RejectReason.WRONG_TYPE, "position"),
                bad("position", "4294967296", RejectReason.WRONG_TYPE, "position"),
                bad("dense", "[12.5]", RejectReason.WRONG_TYPE, "dense"),
                bad("dense", "{\"price\": \"12.5\"}", RejectReason.WRONG_TYPE, "dense.price"),
                bad("dense", "{\"price\": true}", RejectReason.WRONG_TYPE, "dense.price"),
                bad("sparse", "\"food\"", RejectReason.WRONG_TYPE, "sparse"),
                bad("sparse", "{\"city\": 7}", RejectReason.WRONG_TYPE, "sparse.city"),
                bad("sparse", "{\"tags\": [\"spicy\", 3]}", RejectReason.WRONG_TYPE, "sparse.tags"),
                bad("sparse", "{\"tags\": [[\"spicy\"]]}", RejectReason.WRONG_TYPE, "sparse.tags"),
                bad("embeddings", "[0.1, 0.2]", RejectReason.WRONG_TYPE, "embeddings"),
                bad(
                        "embeddings",
                        "{\"user_seq\": \"0.1,0.2\"}",
                        RejectReason.WRONG_TYPE,
                        "embeddings.user_seq"),
                bad(
                        "embeddings",
                        "{\"user_seq\": [0.1, \"0.2\"]}",
                        RejectReason.WRONG_TYPE,
                        "embeddings.user_seq[1]"),
                bad(
                        "embeddings",
                        "{\"user_seq\": [0.1, null]}",
                        RejectReason.WRONG_TYPE,
                        "embeddings.user_seq[1]"),
                // Non-finite numbers.
                bad("dense", "{\"price\": NaN}", RejectReason.NON_FINITE, "dense.price"),
                bad("dense", "{\"price\": 1e999}", RejectReason.NON_FINITE, "dense.price"),
                bad("dense", "{\"price\": -Infinity}", RejectReason.NON_FINITE, "dense.price"),
                bad(
                        "embeddings",
                        "{\"user_seq\": [0.1, NaN]}",
                        RejectReason.NON_FINITE,
                        "embeddings.user_seq[1]"),
                // Finite as a double, but overflows the float an embedding holds.
                bad(
                        "embeddings",
                        "{\"user_seq\": [1e39]}",
                        RejectReason.NON_FINITE,
                        "embeddings.user_seq[0]"),
                bad("event_time", "1e999", RejectReason.NON_FINITE, "event_time"),
                // Absurd timestamps.
                bad("event_time", "0", RejectReason.ABSURD_TIMESTAMP, "event_time"),
                bad("event_time", "-1732262400123", RejectReason.ABSURD_TIMESTAMP, "event_time"),
                bad("event_time", "1732262400", RejectReason.ABSURD_TIMESTAMP, "event_time"),
                bad(
                        "event_time",
                        Long.toString(beyondSkew),
                        RejectReason.ABSURD_TIMESTAMP,
                        "event_time"),
                // Oversized ids.
                bad("impression_id", tooLongId, RejectReason.OVERSIZED, "impression_id"),
                bad("request_id", tooLongId, RejectReason.OVERSIZED, "request_id"),
                bad("user_id", tooLongId, RejectReason.OVERSIZED, "user_id"),
                bad("item_id", tooLongId, RejectReason.OVERSIZED, "item_id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badImpressions")
    void rejectsABadImpressionNamingTheField(
            String name, byte[] value, RejectReason reason, String field) {
        assertRejected(parser.parseImpression(value), reason, field);
    }

    static Stream<Arguments> badEngagements() {
        return Stream.of(
                badEngagement("engagement_id", null, RejectReason.MISSING_FIELD, "engagement_id"),
                badEngagement("engagement_id", "\"\"", RejectReason.MISSING_FIELD, "engagement_id"),
                badEngagement("impression_id", null, RejectReason.MISSING_FIELD, "impression_id"),
                badEngagement("type", null, RejectReason.MISSING_FIELD, "type"),
                badEngagement("type", "null", RejectReason.MISSING_FIELD, "type"),
                badEngagement("event_time", null, RejectReason.MISSING_FIELD, "event_time"),
                badEngagement("engagement_id", "1", RejectReason.WRONG_TYPE, "engagement_id"),
                badEngagement("type", "[\"save\"]", RejectReason.WRONG_TYPE, "type"),
                badEngagement("event_time", "\"now\"", RejectReason.WRONG_TYPE, "event_time"),
                badEngagement("event_time", "NaN", RejectReason.NON_FINITE, "event_time"),
                badEngagement(
                        "event_time", "1732262405", RejectReason.ABSURD_TIMESTAMP, "event_time"),
                badEngagement(
                        "impression_id",
                        "\"" + "x".repeat(513) + "\"",
                        RejectReason.OVERSIZED,
                        "impression_id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEngagements")
    void rejectsABadEngagementNamingTheField(
            String name, byte[] value, RejectReason reason, String field) {
        assertRejected(parser.parseEngagement(value), reason, field);
    }

    @Test
    void rejectsARecordOverTheByteLimitBeforeParsingIt() {
        byte[] valid = impression();
        EventParser small =
                new EventParser(
                        new EventLimits(
                                valid.length - 1,
                                EventLimits.DEFAULTS.minEventTime(),
                                EventLimits.DEFAULTS.maxFutureSkew(),
                                EventLimits.DEFAULTS.maxIdLength()),
                        CLOCK);

        assertRejected(
                small.parseImpression(valid),
                RejectReason.OVERSIZED,
                "limit " + (valid.length - 1));
        // Even garbage is reported as oversized: the size check comes first.
        assertRejected(
                small.parseImpression(new byte[valid.length]), RejectReason.OVERSIZED, "bytes");
    }

    @Test
    void acceptsARecordExactlyAtTheByteLimit() {
        byte[] valid = impression();
        EventParser exact =
                new EventParser(
                        new EventLimits(
                                valid.length,
                                EventLimits.DEFAULTS.minEventTime(),
                                EventLimits.DEFAULTS.maxFutureSkew(),
                                EventLimits.DEFAULTS.maxIdLength()),
                        CLOCK);

        assertThat(exact.parseImpression(valid)).isInstanceOf(ParseResult.Ok.class);
    }

    @Test
    void acceptsAnIdExactlyAtTheLengthLimit() {
        String id = "x".repeat(EventLimits.DEFAULTS.maxIdLength());

        assertThat(ok(parser.parseImpression(impression("impression_id", "\"" + id + "\""))))
                .extracting(Impression::impressionId)
                .isEqualTo(id);
    }

    @Test
    void keepsNullAndAbsentOptionalFieldsAsNull() {
        Impression parsed =
                ok(
                        parser.parseImpression(
                                impression(
                                        "user_id",
                                        "null",
                                        "item_id",
                                        null,
                                        "position",
                                        "null",
                                        "sparse",
                                        "{\"city\": null}")));

        assertThat(parsed.userId()).isNull();
        assertThat(parsed.itemId()).isNull();
        assertThat(parsed.position()).isNull();
        assertThat(parsed.features().sparse()).containsEntry("city", List.of());
    }

    @Test
    void survivesDeeplyNestedInput() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);

        assertRejected(parser.parseImpression(bytes(deep)), RejectReason.UNPARSEABLE, "");
        assertRejected(
                parser.parseImpression(impression("dense", "{\"x\": " + deep + "}")),
                RejectReason.UNPARSEABLE,
                "");
    }

    @Nested
    class NeverThrows {

        private final Random random = new Random(20241122L);

        @Test
        void onRandomBytes() {
            for (int i = 0; i < 3000; i++) {
                byte[] value = new byte[random.nextInt(300)];
                random.nextBytes(value);
                if (i % 2 == 0 && value.length > 0) {
                    value[0] = '{'; // get past the first token now and then
                }
                assertParsesWithoutThrowing(value);
            }
        }

        @Test
        void onMutationsOfAValidImpression() {
            byte[] valid = bytes(SPEC_IMPRESSION);
            byte[] alphabet = bytes("{}[]\":,0123456789.eE+-nulltrueNaN \\u00ff");
            int rejected = 0;
            for (int i = 0; i < 5000; i++) {
                byte[] value = valid.clone();
                int edits = 1 + random.nextInt(4);
                for (int e = 0; e < edits; e++) {
                    value = mutate(value, alphabet);
                }
                if (assertParsesWithoutThrowing(value) instanceof ParseResult.Rejected<?>) {
                    rejected++;
                }
            }
            // The mutations must actually exercise the rejection paths.
            assertThat(rejected).isGreaterThan(1000);
        }

        private byte[] mutate(byte[] value, byte[] alphabet) {
            if (value.length == 0) {
                return new byte[] {alphabet[random.nextInt(alphabet.length)]};
            }
            int at = random.nextInt(value.length);
            byte[] out;
            switch (random.nextInt(5)) {
                case 0 -> { // replace with a JSON-ish byte
                    out = value.clone();
                    out[at] = alphabet[random.nextInt(alphabet.length)];
                }
                case 1 -> { // replace with any byte
                    out = value.clone();
                    out[at] = (byte) random.nextInt(256);
                }
                case 2 -> { // delete a run
                    int len = Math.min(value.length - at, 1 + random.nextInt(8));
                    out = new byte[value.length - len];
                    System.arraycopy(value, 0, out, 0, at);
                    System.arraycopy(value, at + len, out, at, value.length - at - len);
                }
                case 3 -> { // insert a byte
                    out = new byte[value.length + 1];
                    System.arraycopy(value, 0, out, 0, at);
                    out[at] = alphabet[random.nextInt(alphabet.length)];
                    System.arraycopy(value, at, out, at + 1, value.length - at);
                }
                default -> { // truncate
                    out = java.util.Arrays.copyOf(value, at);
                }
            }
            return out;
        }

        private ParseResult<?> assertParsesWithoutThrowing(byte[] value) {
            ParseResult<?>[] results = new ParseResult<?>[2];
            assertThatCode(
                            () -> {
                                results[0] = parser.parseImpression(value);
                                results[1] = parser.parseEngagement(value);
                            })
                    .as("parsing %s", new String(value, StandardCharsets.ISO_8859_1))
                    .doesNotThrowAnyException();
            for (ParseResult<?> result : results) {
                assertThat(result).isNotNull();
                if (result instanceof ParseResult.Rejected<?> r) {
                    assertThat(r.reason()).isNotNull().isNotEqualTo(RejectReason.LATE);
                    assertThat(r.detail()).isNotBlank();
                }
            }
            return results[0];
        }
    }

    // ---- helpers ----

    private static Arguments bad(String field, String rawValue, RejectReason reason, String named) {
        String label = field + (rawValue == null ? " absent" : " = " + abbreviate(rawValue));
        return Arguments.of(label, impression(field, rawValue), reason, named);
    }

    private static Arguments badEngagement(
            String field, String rawValue, RejectReason reason, String named) {
        String label = field + (rawValue == null ? " absent" : " = " + abbreviate(rawValue));
        return Arguments.of(label, engagement(field, rawValue), reason, named);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    /**
     * A valid impression with some fields replaced by raw JSON text ({@code null} removes the
     * field): {@code impression("position", "\"3\"")}.
     */
    private static byte[] impression(String... fieldAndRawValue) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("impression_id", "\"r81f2:3\"");
        fields.put("request_id", "\"r81f2\"");
        fields.put("user_id", "\"u123\"");
        fields.put("item_id", "\"i9\"");
        fields.put("event_time", "1732262400123");
        fields.put("position", "3");
        fields.put("dense", "{\"price\": 12.5, \"distance_km\": null}");
        fields.put("sparse", "{\"category\": \"food\", \"tags\": [\"spicy\", \"noodles\"]}");
        fields.put("embeddings", "{\"user_seq\": [0.013, -0.2]}");
        return object(fields, fieldAndRawValue);
    }

    private static byte[] engagement(String... fieldAndRawValue) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("engagement_id", "\"e1\"");
        fields.put("impression_id", "\"r81f2:3\"");
        fields.put("type", "\"save\"");
        fields.put("event_time", "1732262405000");
        return object(fields, fieldAndRawValue);
    }

    private static byte[] object(Map<String, String> fields, String... fieldAndRawValue) {
        for (int i = 0; i < fieldAndRawValue.length; i += 2) {
            if (fieldAndRawValue[i + 1] == null) {
                fields.remove(fieldAndRawValue[i]);
            } else {
                fields.put(fieldAndRawValue[i], fieldAndRawValue[i + 1]);
            }
        }
        StringBuilder json = new StringBuilder("{");
        fields.forEach(
                (k, v) ->
                        json.append(json.length() > 1 ? ", " : "")
                                .append('"')
                                .append(k)
                                .append("\": ")
                                .append(v));
        return bytes(json.append('}').toString());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T ok(ParseResult<T> result) {
        if (result instanceof ParseResult.Ok<T> ok) {
            return ok.value();
        }
        return fail("expected Ok, got %s", result);
    }

    private static void assertRejected(ParseResult<?> result, RejectReason reason, String named) {
        assertThat(result).isInstanceOf(ParseResult.Rejected.class);
        ParseResult.Rejected<?> rejected = (ParseResult.Rejected<?>) result;
        assertThat(rejected.reason()).as("reason of %s", rejected).isEqualTo(reason);
        assertThat(rejected.detail()).as("detail of %s", rejected).isNotBlank().contains(named);
    }
}
