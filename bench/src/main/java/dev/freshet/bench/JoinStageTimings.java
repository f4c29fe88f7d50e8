package dev.freshet.bench;

import dev.freshet.features.event.Engagement;
import dev.freshet.features.event.EventLimits;
import dev.freshet.features.event.EventParser;
import dev.freshet.features.event.Impression;
import dev.freshet.features.event.ParseResult;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.spec.FeatureFitter;
import dev.freshet.features.transform.FeatureTransform;
import dev.freshet.flink.join.LabelJoinFunction;
import dev.freshet.flink.join.LabelJoinJob;
import dev.freshet.flink.join.NegativeSampler;
import dev.freshet.flink.kafka.Outbound;
import dev.freshet.flink.kafka.OutboundRecord;
import dev.freshet.flink.types.CodecSerializer;
import dev.freshet.flink.types.Codecs;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * CPU cost per event of each stage of our job, one thread, no Kafka and no network: parsing
 * (EventParser), the join (LabelJoinFunction in Flink's keyed operator harness on heap state, with
 * watermarks and a checkpoint snapshot as often as the pipeline would take them) and encoding
 * (Outbound.SampleRecords, Avro). Measured in thread CPU time, so other load on the machine matters
 * less than for wall time. Each stage runs once to warm up, then is measured.
 *
 * <p>Usage: {@code JoinStageTimings [impressions]}
 */
public final class JoinStageTimings {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Watermark every this many events (the pipeline's 200 ms at ~10k events/s). */
    private static final int WATERMARK_EVERY = 2_000;

    /** Snapshot every this many events (the pipeline's 2 s checkpoints at ~10k events/s). */
    private static final int SNAPSHOT_EVERY = 20_000;

    private JoinStageTimings() {}

    record Input(List<Impression> impressions, List<Engagement> engagements) {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        EventGenerator.Generated events =
                new EventGenerator(7).generate(n, 2, System.currentTimeMillis());
        int eventCount = events.impressions().size() + events.engagements().size();
        System.out.printf(
                Locale.ROOT,
                "%,d impressions + %,d engagements%n",
                events.impressions().size(),
                events.engagements().size());

        parse(events);
        long parseNs = cpu(() -> parse(events));
        Input input = parse(events);
        report("parse (EventParser, JSON -> events)", parseNs, eventCount);

        join(input, null);
        long[] snapshotNs = new long[1];
        List<Sample> samples = new ArrayList<>();
        long joinNs = cpu(() -> join(input, snapshotNs));
        join(input, null, samples);
        report("join incl. snapshots (LabelJoinFunction, heap state)", joinNs, eventCount);
        report("  of which checkpoint snapshots", snapshotNs[0], eventCount);

        encode(samples);
        long encodeNs = cpu(() -> encode(samples));
        report("encode (SampleRecords, Avro) per event", encodeNs, eventCount);
        System.out.printf(Locale.ROOT, "  = %.2f us per sample%n", encodeNs / 1e3 / samples.size());
        FeatureFitter fitter = new FeatureFitter(BenchFeatures.CONFIG);
        input.impressions().forEach(i -> fitter.add(i.features()));
        FeatureTransform transform = new FeatureTransform(fitter.fit());
        transform(transform, input);
        long transformNs = cpu(() -> transform(transform, input));
        report("feature transform (FeatureTransform) per event", transformNs, eventCount);
        System.out.printf(
                Locale.ROOT,
                "  = %.2f us per sample = %,.0f samples per CPU-second%n",
                transformNs / 1e3 / input.impressions().size(),
                input.impressions().size() / (transformNs / 1e9));
        long total = parseNs + joinNs + encodeNs;
        System.out.printf(
                Locale.ROOT,
                "sum: %.2f us per event = %,.0f events per CPU-second (without Kafka,"
                        + " Flink network stack, source, sink)%n",
                total / 1e3 / eventCount,
                eventCount / (total / 1e9));
    }

    private interface Stage {
        void run() throws Exception;
    }

    private static long cpu(Stage stage) throws Exception {
        System.gc();
        long start = THREADS.getCurrentThreadCpuTime();
        stage.run();
        return THREADS.getCurrentThreadCpuTime() - start;
    }

    private static void report(String stage, long nanos, int events) {
        System.out.printf(Locale.ROOT, "%-56s %7.2f us per event%n", stage, nanos / 1e3 / events);
    }

    private static void transform(FeatureTransform transform, Input input) {
        int ok = 0;
        for (Impression i : input.impressions()) {
            if (transform.apply(i.features()) instanceof ParseResult.Ok<?>) {
                ok++;
            }
        }
        if (ok != input.impressions().size()) {
            throw new IllegalStateException(
                    "transform rejected " + (input.impressions().size() - ok));
        }
    }

    private static Input parse(EventGenerator.Generated events) {
        EventParser parser = new EventParser(EventLimits.DEFAULTS);
        List<Impression> impressions = new ArrayList<>(events.impressions().size());
        for (EventGenerator.Event e : events.impressions()) {
            impressions.add(
                    ((ParseResult.Ok<Impression>) parser.parseImpression(e.value())).value());
        }
        List<Engagement> engagements = new ArrayList<>(events.engagements().size());
        for (EventGenerator.Event e : events.engagements()) {
            engagements.add(
                    ((ParseResult.Ok<Engagement>) parser.parseEngagement(e.value())).value());
        }
        return new Input(impressions, engagements);
    }

    private static void join(Input input, long[] snapshotNs) throws Exception {
        join(input, snapshotNs, null);
    }

    /** Feeds both inputs in event-time order, as the pipeline would see them. */
    @SuppressWarnings("try") // the harness's close() may throw InterruptedException
    private static void join(Input input, long[] snapshotNs, List<Sample> keep) throws Exception {
        LabelJoinFunction fn =
                new LabelJoinFunction(
                        BenchTasks.taskWindows(),
                        BenchTasks.ALLOWED_LATENESS,
                        new NegativeSampler(1.0, 42),
                        java.time.Duration.ofMinutes(2));
        try (var harness =
                new KeyedTwoInputStreamOperatorTestHarness<String, Impression, Engagement, Sample>(
                        new KeyedCoProcessOperator<>(fn),
                        new LabelJoinJob.ImpressionKey(),
                        new LabelJoinJob.EngagementKey(),
                        Types.STRING)) {
            // The codec serializer's copy is the identity, as chained operators with object reuse
            // see it.
            harness.setup(new CodecSerializer<>(new Codecs.SampleCodec()));
            // In memory (no disk I/O in the measurement), without the 5 MB default cap.
            harness.setCheckpointStorage(
                    new org.apache.flink.runtime.state.storage.JobManagerCheckpointStorage(
                            512 << 20));
            harness.open();
            int i = 0;
            int e = 0;
            int count = 0;
            long maxTs = Long.MIN_VALUE;
            List<Impression> imps = input.impressions();
            List<Engagement> engs = input.engagements();
            while (i < imps.size() || e < engs.size()) {
                boolean takeImpression =
                        e >= engs.size()
                                || (i < imps.size()
                                        && imps.get(i).eventTime() <= engs.get(e).eventTime());
                if (takeImpression) {
                    Impression imp = imps.get(i++);
                    harness.processElement1(new StreamRecord<>(imp, imp.eventTime()));
                    maxTs = Math.max(maxTs, imp.eventTime());
                } else {
                    Engagement eng = engs.get(e++);
                    harness.processElement2(new StreamRecord<>(eng, eng.eventTime()));
                    maxTs = Math.max(maxTs, eng.eventTime());
                }
                if (++count % WATERMARK_EVERY == 0) {
                    harness.processBothWatermarks(
                            new Watermark(maxTs - BenchTasks.OUT_OF_ORDERNESS.toMillis()));
                    drain(harness, keep);
                }
                if (snapshotNs != null && count % SNAPSHOT_EVERY == 0) {
                    long t = THREADS.getCurrentThreadCpuTime();
                    harness.snapshot(count, count);
                    snapshotNs[0] += THREADS.getCurrentThreadCpuTime() - t;
                }
            }
            harness.processBothWatermarks(new Watermark(maxTs + 3 * BenchTasks.MAX_WINDOW_MILLIS));
            drain(harness, keep);
        }
    }

    private static void drain(
            KeyedTwoInputStreamOperatorTestHarness<String, Impression, Engagement, Sample> h,
            List<Sample> keep) {
        if (keep != null) {
            keep.addAll(h.extractOutputValues());
        }
        h.getOutput().clear();
    }

    private static void encode(List<Sample> samples) throws Exception {
        Outbound.SampleRecords encoder = new Outbound.SampleRecords("samples");
        encoder.open(null);
        long bytes = 0;
        for (Sample s : samples) {
            OutboundRecord r = encoder.map(s);
            bytes += r.value().length;
        }
        if (bytes == 0) {
            throw new IllegalStateException("nothing encoded");
        }
    }
}
