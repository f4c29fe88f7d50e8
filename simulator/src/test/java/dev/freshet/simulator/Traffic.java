package dev.freshet.simulator;

import dev.freshet.features.event.Engagement;
import dev.freshet.features.event.EventLimits;
import dev.freshet.features.event.EventParser;
import dev.freshet.features.event.Impression;
import dev.freshet.features.event.ParseResult;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A batch of model output in synthetic time, with its valid events parsed. */
record Traffic(
        List<ScheduledEvent> events,
        Map<String, Impression> impressions,
        Map<String, Long> impressionSendAt,
        List<Engagement> engagements) {

    static final long START = Instant.parse("2025-03-01T12:00:00Z").toEpochMilli();

    /** {@code requests} requests from one model, 100 ms apart from {@link #START}. */
    static Traffic generate(SimulatorConfig config, int requests) {
        TrafficModel model = new TrafficModel(config, START);
        List<ScheduledEvent> events = new ArrayList<>();
        for (int n = 0; n < requests; n++) {
            events.addAll(model.request(START + 100L * n));
        }
        EventParser parser = parser(START + 100L * requests);
        Map<String, Impression> impressions = new HashMap<>();
        Map<String, Long> sendAt = new HashMap<>();
        List<Engagement> engagements = new ArrayList<>();
        for (ScheduledEvent e : events) {
            switch (e.kind()) {
                case IMPRESSION -> {
                    Impression i = ok(parser.parseImpression(e.value()));
                    impressions.put(i.impressionId(), i);
                    sendAt.put(i.impressionId(), e.sendAtMillis());
                }
                case ENGAGEMENT, EARLY_ENGAGEMENT ->
                        engagements.add(ok(parser.parseEngagement(e.value())));
                default -> {}
            }
        }
        return new Traffic(events, impressions, sendAt, engagements);
    }

    /** A parser whose clock is at the end of the synthetic run plus the longest delay. */
    static EventParser parser(long endMillis) {
        Instant now = Instant.ofEpochMilli(endMillis).plusSeconds(6 * 3600);
        return new EventParser(EventLimits.DEFAULTS, Clock.fixed(now, ZoneOffset.UTC));
    }

    long count(ScheduledEvent.Kind kind) {
        return events.stream().filter(e -> e.kind() == kind).count();
    }

    private static <T> T ok(ParseResult<T> result) {
        if (result instanceof ParseResult.Ok<T> ok) {
            return ok.value();
        }
        throw new AssertionError("a valid record was rejected: " + result);
    }
}
