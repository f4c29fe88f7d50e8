package dev.freshet.features.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The names PRODUCT.md section 4 gives the JSON view, plus emit_time from its field list. */
    private static final List<String> SPEC_NAMES =
            List.of(
                    "impression_id",
                    "request_id",
                    "event_time",
                    "emit_time",
                    "spec_version",
                    "labels",
                    "weight",
                    "dense",
                    "dense_missing",
                    "sparse",
                    "embeddings");

    @Test
    void usesExactlyTheSpecNames() throws IOException {
        JsonNode json = parse(rawSample(null, null, null));

        assertThat(names(json)).containsExactlyInAnyOrderElementsOf(SPEC_NAMES);
    }

    @Test
    void addsTheOptionalIdsAndPositionOnlyWhenPresent() throws IOException {
        JsonNode json = parse(rawSample("u123", "i9", 3));

        List<String> expected = new ArrayList<>(SPEC_NAMES);
        expected.addAll(List.of("user_id", "item_id", "position"));
        assertThat(names(json)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(json.get("user_id").textValue()).isEqualTo("u123");
        assertThat(json.get("item_id").textValue()).isEqualTo("i9");
        assertThat(json.get("position").intValue()).isEqualTo(3);
    }

    @Test
    void showsTheScalarFields() throws IOException {
        JsonNode json = parse(rawSample(null, null, null));

        assertThat(json.get("impression_id").textValue()).isEqualTo("r81f2:3");
        assertThat(json.get("request_id").textValue()).isEqualTo("r81f2");
        assertThat(json.get("event_time").isIntegralNumber()).isTrue();
        assertThat(json.get("event_time").longValue()).isEqualTo(1732262400123L);
        assertThat(json.get("emit_time").longValue()).isEqualTo(1732262410000L);
        assertThat(json.get("spec_version").textValue()).isEqualTo("raw");
        assertThat(json.get("weight").isNumber()).isTrue();
        assertThat(json.get("weight").doubleValue()).isEqualTo(2.5);
    }

    @Test
    void showsLabelsAsAnObjectOfZeroOrOnePerTask() throws IOException {
        JsonNode labels = parse(rawSample(null, null, null)).get("labels");

        assertThat(labels.isObject()).isTrue();
        assertThat(names(labels)).containsExactly("click", "save", "hide", "pay");
        assertThat(labels.get("click").isInt()).isTrue();
        assertThat(labels.get("click").intValue()).isEqualTo(0);
        assertThat(labels.get("save").intValue()).isEqualTo(1);
        assertThat(labels.get("hide").intValue()).isEqualTo(0);
        assertThat(labels.get("pay").intValue()).isEqualTo(0);
    }

    @Test
    void showsDenseValuesAndMissingFeaturesAsObjects() throws IOException {
        JsonNode json = parse(rawSample(null, null, null));

        JsonNode dense = json.get("dense");
        assertThat(names(dense)).containsExactly("price", "item_ctr_7d");
        assertThat((float) dense.get("price").doubleValue()).isEqualTo(12.5f);
        assertThat((float) dense.get("item_ctr_7d").doubleValue()).isEqualTo(0.031f);
        JsonNode missing = json.get("dense_missing");
        assertThat(missing.isObject()).isTrue();
        assertThat(names(missing)).containsExactly("distance_km");
        assertThat(missing.get("distance_km").intValue()).isEqualTo(1);
    }

    @Test
    void showsEmbeddingsAsNumberArrays() throws IOException {
        JsonNode vector = parse(rawSample(null, null, null)).get("embeddings").get("user_seq");

        assertThat(vector.isArray()).isTrue();
        assertThat(vector).hasSize(3);
        assertThat((float) vector.get(0).doubleValue()).isEqualTo(0.013f);
        assertThat((float) vector.get(1).doubleValue()).isEqualTo(-0.2f);
        assertThat((float) vector.get(2).doubleValue()).isEqualTo(0.5f);
    }

    @Test
    void underTheRawSpecSparseShowsTheLoggedStrings() throws IOException {
        JsonNode json = parse(rawSample(null, null, null));

        assertThat(json.get("sparse").toString())
                .isEqualTo("{\"category\":[\"food\"],\"tags\":[\"spicy\",\"noodles\"]}");
        assertThat(json.has("sparse_raw")).isFalse();
    }

    @Test
    void withHashedIdsSparseShowsTheIds() throws IOException {
        Map<String, long[]> ids = new LinkedHashMap<>();
        ids.put("category", new long[] {17L});
        ids.put("tags", new long[] {3L, 4_000_000_000L});
        Sample raw = rawSample(null, null, null);
        Sample hashed =
                new Sample(
                        raw.impressionId(),
                        raw.requestId(),
                        null,
                        null,
                        null,
                        raw.eventTime(),
                        raw.emitTime(),
                        "3f9a0c",
                        raw.labels(),
                        raw.weight(),
                        Map.of("price", 0.5f),
                        List.of(),
                        ids,
                        Map.of(),
                        raw.embeddings());

        JsonNode json = parse(hashed);

        assertThat(json.get("spec_version").textValue()).isEqualTo("3f9a0c");
        JsonNode sparse = json.get("sparse");
        assertThat(names(sparse)).containsExactly("category", "tags");
        assertThat(sparse.get("category").get(0).longValue()).isEqualTo(17L);
        assertThat(sparse.get("tags").get(0).longValue()).isEqualTo(3L);
        assertThat(sparse.get("tags").get(1).isIntegralNumber()).isTrue();
        assertThat(sparse.get("tags").get(1).longValue()).isEqualTo(4_000_000_000L);
        assertThat(json.get("dense_missing").isEmpty()).isTrue();
    }

    @Test
    void isOneLineEvenWhenValuesContainNewlines() throws IOException {
        Sample raw = rawSample(null, null, null);
        Sample awkward =
                new Sample(
                        "line\nbreak",
                        raw.requestId(),
                        null,
                        null,
                        null,
                        raw.eventTime(),
                        raw.emitTime(),
                        raw.specVersion(),
                        raw.labels(),
                        raw.weight(),
                        raw.dense(),
                        raw.denseMissing(),
                        raw.sparse(),
                        Map.of("city", List.of("new\r\nyork")),
                        raw.embeddings());

        String line = SampleJson.toJsonLine(awkward);

        assertThat(line).doesNotContain("\n", "\r");
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("impression_id").textValue()).isEqualTo("line\nbreak");
        assertThat(json.get("sparse").get("city").get(0).textValue()).isEqualTo("new\r\nyork");
    }

    @Test
    void readsTheViewBackToTheSameSample() throws IOException {
        Sample raw = rawSample("u123", "i9", 3);
        Sample hashed =
                new Sample(
                        "r1:0",
                        "r1",
                        null,
                        null,
                        null,
                        5L,
                        6L,
                        "3f9a0c",
                        Map.of("save", 1),
                        1f,
                        Map.of("price", 0.25f),
                        List.of("distance_km"),
                        Map.of("tags", new long[] {3L, 4_000_000_000L}, "city", new long[0]),
                        Map.of(),
                        Map.of());

        assertThat(SampleJson.fromJson(parse(raw))).isEqualTo(raw);
        assertThat(SampleJson.fromJson(parse(hashed))).isEqualTo(hashed);
    }

    @Test
    void refusesAnObjectThatIsNotASampleNamingTheField() throws IOException {
        JsonNode good = parse(rawSample(null, null, null));
        ObjectNode noRequest = good.deepCopy();
        noRequest.remove("request_id");
        ObjectNode badLabel = good.deepCopy();
        ((ObjectNode) badLabel.get("labels")).put("save", 2);
        ObjectNode badDense = good.deepCopy();
        ((ObjectNode) badDense.get("dense")).put("price", "x");

        assertThat(catchThrowable(() -> SampleJson.fromJson(noRequest)))
                .isInstanceOf(SampleFormatException.class)
                .hasMessageContaining("request_id");
        assertThat(catchThrowable(() -> SampleJson.fromJson(badLabel)))
                .hasMessageContaining("labels.save must be 0 or 1");
        assertThat(catchThrowable(() -> SampleJson.fromJson(badDense)))
                .hasMessageContaining("dense.price must be a number");
    }

    // ---- helpers ----

    private static Sample rawSample(String userId, String itemId, Integer position) {
        Map<String, Integer> labels = new LinkedHashMap<>();
        labels.put("click", 0);
        labels.put("save", 1);
        labels.put("hide", 0);
        labels.put("pay", 0);
        Map<String, Float> dense = new LinkedHashMap<>();
        dense.put("price", 12.5f);
        dense.put("item_ctr_7d", 0.031f);
        Map<String, List<String>> sparseRaw = new LinkedHashMap<>();
        sparseRaw.put("category", List.of("food"));
        sparseRaw.put("tags", List.of("spicy", "noodles"));
        return new Sample(
                "r81f2:3",
                "r81f2",
                userId,
                itemId,
                position,
                1732262400123L,
                1732262410000L,
                Sample.RAW_SPEC,
                labels,
                2.5f,
                dense,
                List.of("distance_km"),
                Map.of(),
                sparseRaw,
                Map.of("user_seq", new float[] {0.013f, -0.2f, 0.5f}));
    }

    private static JsonNode parse(Sample sample) throws IOException {
        String line = SampleJson.toJsonLine(sample);
        assertThat(line).doesNotContain("\n");
        return JSON.readTree(line);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
