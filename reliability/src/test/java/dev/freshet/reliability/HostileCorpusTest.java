package dev.freshet.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.event.EventLimits;
import dev.freshet.features.event.EventParser;
import dev.freshet.features.event.ParseResult;
import dev.freshet.reliability.HostileRecord.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The corpus's own labels agree with the pipeline's parser, record by record. */
class HostileCorpusTest {

    static final EventLimits LIMITS =
            new EventLimits(65_536, Instant.parse("2000-01-01T00:00:00Z"), Duration.ofDays(1), 512);

    @Test
    void everyRecordIsTaggedWithTheVerdictTheParserGivesIt() {
        long now = System.currentTimeMillis();
        ValidTraffic valid = new ValidTraffic(7, 500, now - 60_000, 100);
        List<HostileRecord> corpus = HostileCorpus.generate(7, LIMITS, now, valid, 10_000);
        EventParser parser = new EventParser(LIMITS);
        List<String> wrong = new ArrayList<>();
        for (HostileRecord r : corpus) {
            ParseResult<?> result =
                    r.topic().equals("impressions")
                            ? parser.parseImpression(r.value())
                            : parser.parseEngagement(r.value());
            String verdict =
                    result instanceof ParseResult.Rejected<?> rej ? rej.reason().wireName() : null;
            String expected = r.outcome() == Outcome.DEAD_LETTER ? r.reason() : null;
            if (!java.util.Objects.equals(verdict, expected)) {
                wrong.add(
                        r.kind()
                                + " expected "
                                + expected
                                + " got "
                                + verdict
                                + ": "
                                + preview(r.value()));
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(corpus.stream().filter(r -> r.outcome() == Outcome.DEAD_LETTER))
                .hasSizeGreaterThanOrEqualTo(10_000);
        assertThat(HostileCorpus.countByKind(corpus)).hasSize(HostileCorpus.Kind.values().length);
    }

    @Test
    void theSameSeedGivesTheSameCorpus() {
        ValidTraffic valid = new ValidTraffic(3, 100, 1_700_000_000_000L, 100);
        List<HostileRecord> a = HostileCorpus.generate(3, LIMITS, 1_700_000_100_000L, valid, 500);
        List<HostileRecord> b = HostileCorpus.generate(3, LIMITS, 1_700_000_100_000L, valid, 500);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).value()).isEqualTo(b.get(i).value());
        }
    }

    private static String preview(byte[] v) {
        if (v == null) {
            return "null";
        }
        String s = Arrays.toString(Arrays.copyOf(v, Math.min(v.length, 80)));
        return new String(v, 0, Math.min(v.length, 120), java.nio.charset.StandardCharsets.UTF_8)
                + " "
                + s;
    }
}
