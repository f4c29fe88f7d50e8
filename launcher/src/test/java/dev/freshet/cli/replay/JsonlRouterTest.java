package dev.freshet.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.flink.config.Topics;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonlRouterTest {

    private final JsonlRouter router = new JsonlRouter(Topics.DEFAULTS);

    @Test
    void impressionGoesToImpressionsKeyedByItsIdAsCompactJson() {
        ReplayRecord r =
                route(
                        "{\"topic\": \"impressions\", \"value\": {\"impression_id\": \"r1:3\","
                                + " \"request_id\": \"r1\", \"event_time\": 1732262400123,"
                                + " \"dense\": {\"price\": 12.5, \"distance_km\": null}}}");

        assertThat(r.topic()).isEqualTo("impressions");
        assertThat(r.keyString()).isEqualTo("r1:3");
        assertThat(r.valueString())
                .isEqualTo(
                        "{\"impression_id\":\"r1:3\",\"request_id\":\"r1\",\"event_time\":1732262400123,"
                                + "\"dense\":{\"price\":12.5,\"distance_km\":null}}");
        assertThat(r.raw()).isFalse();
    }

    @Test
    void engagementGoesToEngagementsKeyedByItsImpression() {
        ReplayRecord r =
                route(
                        "{\"topic\":\"engagements\",\"value\":{\"engagement_id\":\"e1\",\"impression_id\":\"r1:3\","
                                + "\"type\":\"save\",\"event_time\":1732262405000}}");

        assertThat(r.topic()).isEqualTo("engagements");
        assertThat(r.keyString()).isEqualTo("r1:3");
        assertThat(r.valueString()).startsWith("{\"engagement_id\":\"e1\"");
    }

    @Test
    void valueWithoutAStringImpressionIdHasNoKey() {
        assertThat(route("{\"topic\":\"impressions\",\"value\":{\"request_id\":\"r\"}}").key())
                .isNull();
        assertThat(route("{\"topic\":\"impressions\",\"value\":{\"impression_id\":7}}").key())
                .isNull();
        ReplayRecord notAnObject = route("{\"topic\":\"engagements\",\"value\":[1,2]}");
        assertThat(notAnObject.topic()).isEqualTo("engagements");
        assertThat(notAnObject.valueString()).isEqualTo("[1,2]");
        assertThat(notAnObject.key()).isNull();
    }

    @Test
    void malformedLineGoesToImpressionsUnchangedWithoutKey() {
        byte[] line = "{\"impression_id\": \"x\", oops".getBytes(StandardCharsets.UTF_8);

        ReplayRecord r = router.route(line);

        assertThat(r.topic()).isEqualTo("impressions");
        assertThat(r.key()).isNull();
        assertThat(r.value()).isEqualTo(line);
        assertThat(r.raw()).isTrue();
    }

    @Test
    void bytesThatAreNotUtf8PassThroughUnchanged() {
        byte[] line = {'{', (byte) 0xC3, (byte) 0x28, '}'};

        ReplayRecord r = router.route(line);

        assertThat(r.raw()).isTrue();
        assertThat(r.value()).isEqualTo(line);
    }

    @Test
    void unknownTopicIsWrittenAsIsToImpressions() {
        String line = "{\"topic\":\"clicks\",\"value\":{\"impression_id\":\"i1\"}}";

        ReplayRecord r = route(line);

        assertThat(r.topic()).isEqualTo("impressions");
        assertThat(r.valueString()).isEqualTo(line);
        assertThat(r.key()).isNull();
        assertThat(r.raw()).isTrue();
    }

    @Test
    void objectsWithoutTopicOrValueAreWrittenAsIs() {
        assertThat(route("{\"impression_id\":\"i1\",\"request_id\":\"r\",\"event_time\":1}").raw())
                .isTrue();
        assertThat(route("{\"topic\":\"impressions\"}").raw()).isTrue();
        assertThat(route("{\"topic\":7,\"value\":{}}").raw()).isTrue();
        assertThat(route("[\"impressions\", {}]").raw()).isTrue();
        assertThat(route("\"impressions\"").raw()).isTrue();
    }

    @Test
    void duplicateKeysAndTrailingGarbageMakeALineMalformed() {
        // Cleaning these up would hide exactly what the line was written to test.
        assertThat(route("{\"topic\":\"impressions\",\"value\":{\"a\":1,\"a\":2}}").raw()).isTrue();
        assertThat(route("{\"topic\":\"impressions\",\"value\":{}} {}").raw()).isTrue();
    }

    @Test
    void nonFiniteNumbersStayBareLiterals() {
        ReplayRecord r =
                route(
                        "{\"topic\":\"impressions\",\"value\":{\"dense\":{\"x\":NaN,\"y\":-Infinity}}}");

        assertThat(r.raw()).isFalse();
        assertThat(r.valueString()).isEqualTo("{\"dense\":{\"x\":NaN,\"y\":-Infinity}}");
    }

    private ReplayRecord route(String line) {
        return router.route(line.getBytes(StandardCharsets.UTF_8));
    }
}
