package dev.freshet.reliability.faults;

import dev.freshet.features.event.EventLimits;
import dev.freshet.features.event.EventParser;
import dev.freshet.features.event.Impression;
import dev.freshet.features.event.ParseResult;
import dev.freshet.features.sample.SampleCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Every valid impression the simulator wrote against every sample the pipeline committed: which
 * impressions have no sample yet, which have more than one, and which samples name no impression.
 *
 * @param impressions valid impressions (distinct ids) in the input topic
 * @param samples committed samples
 * @param due impressions old enough that every window has closed on them (event time at or before
 *     {@code cutoff})
 * @param missing due impressions without a sample
 * @param duplicated impression ids with more than one sample
 * @param unknown sample impression ids that are no valid impression
 */
record SampleLedger(
        int impressions,
        int samples,
        int due,
        List<String> missing,
        List<String> duplicated,
        List<String> unknown,
        long cutoff) {

    /**
     * @param settle how long after an impression its sample is certainly out: the longest window,
     *     the allowed lateness and the watermark's out-of-orderness, with room to spare
     */
    static SampleLedger of(
            List<ConsumerRecord<byte[], byte[]>> impressionRecords,
            List<ConsumerRecord<byte[], byte[]>> sampleRecords,
            long settleMillis) {
        EventParser parser = new EventParser(EventLimits.DEFAULTS);
        Map<String, Long> impressions = new HashMap<>();
        long newest = Long.MIN_VALUE;
        for (ConsumerRecord<byte[], byte[]> r : impressionRecords) {
            if (r.value() != null
                    && parser.parseImpression(r.value()) instanceof ParseResult.Ok<Impression> ok) {
                impressions.putIfAbsent(ok.value().impressionId(), ok.value().eventTime());
                newest = Math.max(newest, ok.value().eventTime());
            }
        }
        SampleCodec codec = new SampleCodec();
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : sampleRecords) {
            counts.merge(codec.decode(r.value()).impressionId(), 1, Integer::sum);
        }
        long cutoff = newest - settleMillis;
        List<String> missing = new ArrayList<>();
        int due = 0;
        for (Map.Entry<String, Long> e : impressions.entrySet()) {
            if (e.getValue() <= cutoff) {
                due++;
                if (!counts.containsKey(e.getKey())) {
                    missing.add(e.getKey());
                }
            }
        }
        List<String> duplicated = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        counts.forEach(
                (id, n) -> {
                    if (n > 1) {
                        duplicated.add(id + " x" + n);
                    }
                    if (!impressions.containsKey(id)) {
                        unknown.add(id);
                    }
                });
        return new SampleLedger(
                impressions.size(),
                sampleRecords.size(),
                due,
                List.copyOf(missing),
                List.copyOf(duplicated),
                List.copyOf(unknown),
                cutoff);
    }
}
