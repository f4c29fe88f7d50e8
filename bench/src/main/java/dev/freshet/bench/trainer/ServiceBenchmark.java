package dev.freshet.bench.trainer;

import dev.freshet.bench.report.Figure;
import dev.freshet.bench.report.FigureSet;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import dev.freshet.features.spec.FeatureSpecJson;
import dev.freshet.manifest.Manifest;
import dev.freshet.store.S3ObjectStore;
import dev.freshet.store.S3Settings;
import dev.freshet.testing.KafkaBroker;
import dev.freshet.testing.S3Server;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.BatchAssembler;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.observe.TrainerMetrics;
import dev.freshet.trainer.service.TrainerConfigFile;
import dev.freshet.trainer.service.TrainerService;
import dev.freshet.trainer.service.TrainerServiceConfig;
import dev.freshet.trainer.synthetic.SyntheticSamples;
import dev.freshet.trainer.train.TrainingSession;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The trainer inside its service: (1) samples/s when the service works through a backlog, next to
 * the bare training loop on the same samples in the same JVM (the ceiling: the service adds Kafka
 * reads, decoding, gating, checkpoints and publishing); (2) freshness while samples arrive at a
 * steady rate below capacity: for every sample, the time from its event time (= when it was
 * produced) to the moment the first version containing it was published, p50 and p99, next to the
 * publish interval (the floor a sample waits for on average is half of it).
 *
 * <pre>
 * ServiceBenchmark [--backlog 60000] [--rate 2000] [--seconds 60] [--interval 10s] [--batch 512]
 * </pre>
 */
public final class ServiceBenchmark {

    public static void main(String[] args) throws Exception {
        int backlog = 60_000;
        int rate = 2_000;
        int seconds = 60;
        String interval = "10s";
        int batch = 512;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--backlog" -> backlog = Integer.parseInt(args[i + 1]);
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--interval" -> interval = args[i + 1];
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("freshet-service-bench");
        SyntheticSamples.Data data =
                SyntheticSamples.generate(
                        Math.max(backlog, rate * seconds),
                        5,
                        new SyntheticSamples.Shape(50_000, 50_000, 131_072, 8));
        String yaml =
                """
                trainer:
                  batch_size: %d
                  publish_every: %s
                  publish_every_samples: 1000000000
                  max_batch_wait: 200ms
                model:
                  tasks: [{name: click}, {name: save}, {name: conversion}, {name: pay}]
                """
                        .formatted(batch, interval);
        double ceiling = bareLoop(data, TrainerConfigFile.parse(yaml, dir), batch);
        double decode = decodeAndAssemble(data, TrainerConfigFile.parse(yaml, dir), batch);
        try (KafkaBroker kafka = KafkaBroker.start();
                S3Server s3 = S3Server.startOnFreePort()) {
            double inService = backlogRun(kafka, s3, data, yaml, dir.resolve("backlog"), backlog);
            double[] freshness =
                    steadyRun(kafka, s3, data, yaml, dir.resolve("steady"), rate, seconds);
            double intervalSeconds =
                    dev.freshet.features.config.Durations.parse(interval).toMillis() / 1000.0;
            double series = 1 / (1 / ceiling + 1 / decode);
            System.out.printf(
                    Locale.ROOT,
                    "%n| measure | value | against | ratio |%n|---|---:|---|---:|%n"
                            + "| samples/s in the service (backlog of %d) | %,.0f | bare training"
                            + " loop, same samples: %,.0f | %.2f× |%n"
                            + "| decoding + assembling batches alone | %,.0f samples/s | bare"
                            + " training loop | %.2f× |%n"
                            + "| samples/s in the service | %,.0f | bare loop and decoding in"
                            + " series: %,.0f | %.2f× |%n"
                            + "| freshness p50 at %d samples/s | %.1f s | publish interval %.0f s |"
                            + " %.2f× |%n"
                            + "| freshness p99 at %d samples/s | %.1f s | publish interval %.0f s |"
                            + " %.2f× |%n",
                    backlog,
                    inService,
                    ceiling,
                    inService / ceiling,
                    decode,
                    decode / ceiling,
                    inService,
                    series,
                    inService / series,
                    rate,
                    freshness[0],
                    intervalSeconds,
                    freshness[0] / intervalSeconds,
                    rate,
                    freshness[1],
                    intervalSeconds,
                    freshness[1] / intervalSeconds);
            String stage = "Trainer service";
            FigureSet.of(
                            "service",
                            "Trainer service (Kafka in, S3 out)",
                            "bench/run-trainer-bench.sh service",
                            List.of(
                                    Figure.of(
                                            "service.samples_per_s",
                                            stage,
                                            "samples/s from a backlog",
                                            inService,
                                            "samples/s",
                                            "bare training loop, same samples and JVM",
                                            ceiling,
                                            Double.NaN,
                                            false,
                                            "broker and S3 server share the JVM and the 2 cores"),
                                    Figure.of(
                                            "service.freshness.p99",
                                            stage,
                                            "sample → published p99, seconds at " + rate + "/s",
                                            freshness[1],
                                            "s",
                                            "publish interval",
                                            intervalSeconds,
                                            Double.NaN,
                                            true,
                                            String.format(
                                                    Locale.ROOT, "p50 %.1f s", freshness[0]))),
                            List.of())
                    .writeTo(Path.of("bench/target/service-bench"));
        }
    }

    /** The ceiling: TrainingSession.step over the same samples, batches prebuilt. */
    static double bareLoop(SyntheticSamples.Data data, TrainerServiceConfig config, int batch) {
        ModelLayout layout = ModelLayout.of(data.spec());
        BatchAssembler assembler = new BatchAssembler(layout, config.model().taskNames());
        List<Batch> batches = new ArrayList<>();
        List<Sample> samples = data.samples();
        for (int i = 0; i + batch <= Math.min(samples.size(), 40 * batch); i += batch) {
            batches.add(assembler.assemble(samples.subList(i, i + batch)).batch());
        }
        try (TrainingSession session = new TrainingSession(config.model(), layout, 1)) {
            for (int i = 0; i < 10; i++) {
                session.step(batches.get(i));
            }
            long start = System.nanoTime();
            for (Batch b : batches.subList(10, batches.size())) {
                session.step(b);
            }
            return (double) (batches.size() - 10) * batch / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Samples/s of what the service does before a step: decode the bytes, build the batch. */
    static double decodeAndAssemble(
            SyntheticSamples.Data data, TrainerServiceConfig config, int batch) {
        SampleCodec codec = new SampleCodec();
        List<byte[]> bytes = new ArrayList<>();
        for (Sample s : data.samples()) {
            bytes.add(codec.encode(s));
        }
        BatchAssembler assembler =
                new BatchAssembler(ModelLayout.of(data.spec()), config.model().taskNames());
        long start = 0;
        int measured = 0;
        for (int round = 0; round < 2; round++) {
            if (round == 1) {
                start = System.nanoTime();
            }
            for (int i = 0; i + batch <= bytes.size(); i += batch) {
                List<Sample> samples = new ArrayList<>(batch);
                for (byte[] b : bytes.subList(i, i + batch)) {
                    samples.add(codec.decode(b));
                }
                assembler.assemble(samples);
                if (round == 1) {
                    measured += batch;
                }
            }
        }
        return measured / ((System.nanoTime() - start) / 1e9);
    }

    static double backlogRun(
            KafkaBroker kafka,
            S3Server s3,
            SyntheticSamples.Data data,
            String yaml,
            Path dir,
            int n)
            throws Exception {
        String name = "backlog";
        produceAll(kafka, s3, data, name, data.samples().subList(0, n));
        try (Run run = new Run(kafka, s3, data, yaml, dir, name)) {
            while (!run.service.ready()) {
                Thread.sleep(20);
            }
            long start = System.nanoTime();
            while (run.trainedNow() < n) {
                Thread.sleep(20);
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** p50 and p99 of publish time minus event time over every sample produced. */
    static double[] steadyRun(
            KafkaBroker kafka,
            S3Server s3,
            SyntheticSamples.Data data,
            String yaml,
            Path dir,
            int rate,
            int seconds)
            throws Exception {
        String name = "steady";
        produceAll(kafka, s3, data, name, List.of());
        int total = rate * seconds;
        long[] eventTime = new long[total];
        try (Run run = new Run(kafka, s3, data, yaml, dir, name);
                KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            SampleCodec codec = new SampleCodec();
            long start = System.currentTimeMillis();
            for (int i = 0; i < total; i++) {
                long due = start + (long) i * 1000 / rate;
                long wait = due - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                Sample s = data.samples().get(i);
                long now = System.currentTimeMillis();
                eventTime[i] = now;
                producer.send(
                        new ProducerRecord<>(
                                name + "-samples",
                                bytes(s.impressionId()),
                                codec.encode(s.withTimes(now, now))));
            }
            producer.flush();
            while (run.consumed() < total) {
                Thread.sleep(50);
            }
            double[] freshness = new double[total];
            for (int i = 0; i < total; i++) {
                freshness[i] = (run.publishedAt(i) - eventTime[i]) / 1000.0;
            }
            Arrays.sort(freshness);
            return new double[] {freshness[total / 2], freshness[(int) (total * 0.99)]};
        }
    }

    static void produceAll(
            KafkaBroker kafka,
            S3Server s3,
            SyntheticSamples.Data data,
            String name,
            List<Sample> samples) {
        kafka.createTopics(1, name + "-samples", name + "-dlq", name + "-specs");
        s3.createBucket(name);
        List<byte[][]> spec = new ArrayList<>();
        spec.add(new byte[][] {bytes("latest"), FeatureSpecJson.toBytes(data.spec())});
        kafka.send(name + "-specs", spec);
        SampleCodec codec = new SampleCodec();
        List<byte[][]> records = new ArrayList<>();
        for (Sample s : samples) {
            records.add(new byte[][] {bytes(s.impressionId()), codec.encode(s)});
        }
        if (!records.isEmpty()) {
            kafka.send(name + "-samples", records);
        }
    }

    /** One service on its own topics and bucket; records when each offset was first published. */
    static final class Run implements AutoCloseable {
        final TrainerService service;
        final Thread thread;
        final S3ObjectStore store;
        final TrainerMetrics metrics = new TrainerMetrics();
        final Map<Long, long[]> published = new ConcurrentHashMap<>();
        volatile long consumed;

        Run(
                KafkaBroker kafka,
                S3Server s3,
                SyntheticSamples.Data data,
                String yaml,
                Path dir,
                String name)
                throws Exception {
            TrainerServiceConfig config =
                    TrainerConfigFile.parse(yaml, dir)
                            .with(
                                    name,
                                    name + "-samples",
                                    name + "-dlq",
                                    name + "-specs",
                                    TrainerConfigFile.parse(yaml, dir).batchSize(),
                                    1_000_000_000L,
                                    TrainerConfigFile.parse(yaml, dir).gate());
            store =
                    new S3ObjectStore(
                            new S3Settings(
                                    URI.create(s3.endpoint()),
                                    name,
                                    s3.region(),
                                    s3.accessKey(),
                                    s3.secretKey()));
            service =
                    new TrainerService(
                            config,
                            kafka.bootstrapServers(),
                            store,
                            metrics,
                            TrainerService.Hooks.NONE);
            service.onPublished(this::record);
            thread = new Thread(service::run, "bench-" + name);
            thread.start();
        }

        private void record(Manifest m) {
            long now = System.currentTimeMillis();
            long upTo = m.lineage().offsets().getOrDefault(0, 0L);
            published.put(m.version(), new long[] {upTo, now});
            consumed = m.lineage().samples().consumed();
        }

        long consumed() {
            return consumed;
        }

        /** Samples trained so far, from the service's own counter. */
        long trainedNow() {
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile(
                                    "(?m)^freshet_trainer_samples_total(?:\\{[^}]*\\})? ([0-9.E]+)$")
                            .matcher(metrics.scrape());
            return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
        }

        /** When the first version containing offset {@code i} was published. */
        long publishedAt(int i) {
            long best = Long.MAX_VALUE;
            for (long[] p : published.values()) {
                if (p[0] > i) {
                    best = Math.min(best, p[1]);
                }
            }
            return best;
        }

        @Override
        public void close() throws Exception {
            service.stop();
            thread.join(60_000);
            service.close();
            store.close();
            metrics.close();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
