package dev.freshet.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.features.event.EventLimits;
import dev.freshet.features.event.EventParser;
import dev.freshet.features.event.Impression;
import dev.freshet.features.event.ParseResult;
import dev.freshet.features.event.RawFeatures;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import dev.freshet.features.spec.DenseSpec;
import dev.freshet.features.spec.EmbeddingSpec;
import dev.freshet.features.spec.FeatureSpec;
import dev.freshet.features.spec.FeatureSpecJson;
import dev.freshet.features.spec.SparseSpec;
import dev.freshet.features.transform.FeatureTransform;
import dev.freshet.features.transform.ModelInput;
import dev.freshet.manifest.Checksums;
import dev.freshet.manifest.Manifest;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.config.ModelConfigFile;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.BatchAssembler;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.train.Checkpoint;
import dev.freshet.trainer.train.TrainingSession;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * A tiny model trained on raw impressions the way the system trains one: impressions as JSON,
 * turned into processed samples the way the pipeline does (RawSamples, RawInputs, ApplySpecFunction
 * of flink-jobs, restated here), a few training steps, and a version directory with the files the
 * trainer service writes.
 */
public final class TestModels {

    public static final String MODEL = "ranking";
    public static final List<String> TASKS = List.of("click", "save", "hide", "pay");
    static final ObjectMapper JSON = JsonMapper.builder().build();

    static final ModelConfig CONFIG =
            ModelConfigFile.parse(
                    """
                    tasks: [{name: click}, {name: save}, {name: hide}, {name: pay}]
                    mlp: [16]
                    embedding_dim: 8
                    optimizer: {dense_lr: 0.01, embedding_lr: 0.05}
                    """);

    public static final FeatureSpec SPEC =
            FeatureSpec.of(
                    7,
                    List.of(
                            new DenseSpec("price", new double[] {5, 10, 12.3, 20, 40}),
                            new DenseSpec("distance_km", new double[] {0.5, 1, 2, 5}),
                            new DenseSpec("item_ctr_7d", new double[] {0.01, 0.02, 0.05})),
                    List.of(
                            sparse("category", 16, "food", "drinks", "books"),
                            sparse("city", 16, "beijing", "shanghai"),
                            sparse("tags", 32, "spicy", "noodles", "sweet")),
                    List.of(new EmbeddingSpec("user_seq", 4)));

    private TestModels() {}

    private static SparseSpec sparse(String name, int buckets, String... frequent) {
        long[] fps =
                Stream.of(frequent).mapToLong(v -> SparseSpec.fingerprint(name, v, 7)).toArray();
        return new SparseSpec(name, buckets, 1, fps);
    }

    /** {@code n} raw impression JSONs with missing, null and absent features, unseen values. */
    public static List<byte[]> impressions(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] categories = {"food", "drinks", "books", "never-seen"};
        String[] cities = {"beijing", "shanghai", "lhasa"};
        String[] tags = {"spicy", "noodles", "sweet", "rare-tag"};
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode imp = JSON.createObjectNode();
            imp.put("impression_id", "r" + seed + "-" + (i / 4) + ":" + i % 4);
            imp.put("request_id", "r" + seed + "-" + (i / 4));
            imp.put("user_id", "u" + r.nextInt(20));
            imp.put("item_id", "i" + r.nextInt(50));
            imp.put("event_time", 1732262400123L + i);
            imp.put("position", i % 4);
            ObjectNode dense = imp.putObject("dense");
            switch (i % 5) {
                case 0 -> dense.putNull("price");
                case 1 -> {} // absent
                case 2 -> dense.put("price", 12.299999999999999); // below 12.3, float rounds up
                default -> dense.put("price", r.nextDouble() * 50);
            }
            if (i % 3 != 0) {
                dense.put("distance_km", r.nextDouble() * 8);
            }
            dense.put("item_ctr_7d", r.nextDouble() * 0.08);
            dense.put("not_in_spec", 1.5);
            ObjectNode sparse = imp.putObject("sparse");
            sparse.put("category", categories[r.nextInt(categories.length)]);
            if (i % 4 != 1) {
                sparse.put("city", cities[r.nextInt(cities.length)]);
            }
            ArrayNode t = sparse.putArray("tags");
            for (int k = r.nextInt(4); k > 0; k--) {
                t.add(tags[r.nextInt(tags.length)]);
            }
            if (i % 6 != 5) {
                ArrayNode v = imp.putObject("embeddings").putArray("user_seq");
                for (int k = 0; k < 4; k++) {
                    v.add((float) r.nextGaussian());
                }
            }
            out.add(imp.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    public static Impression parse(byte[] json) {
        ParseResult<Impression> p = new EventParser(EventLimits.DEFAULTS).parseImpression(json);
        if (p instanceof ParseResult.Ok<Impression> ok) {
            return ok.value();
        }
        throw new IllegalArgumentException(p.toString());
    }

    /**
     * The processed sample the pipeline makes of {@code imp}: RawSamples keeps dense values as
     * floats and nulls as missing, RawInputs reads them back as doubles, ApplySpecFunction applies
     * the spec and copies the impression's fields.
     */
    public static Sample pipelineSample(Impression imp, Map<String, Integer> labels) {
        Map<String, Double> dense = new LinkedHashMap<>();
        imp.features()
                .dense()
                .forEach((k, v) -> dense.put(k, v == null ? null : (double) v.floatValue()));
        RawFeatures raw =
                new RawFeatures(dense, imp.features().sparse(), imp.features().embeddings());
        ParseResult<ModelInput> t = new FeatureTransform(SPEC).apply(raw);
        ModelInput in = ((ParseResult.Ok<ModelInput>) t).value();
        return new Sample(
                imp.impressionId(),
                imp.requestId(),
                imp.userId(),
                imp.itemId(),
                imp.position(),
                imp.eventTime(),
                imp.eventTime(),
                SPEC.version(),
                labels,
                1f,
                in.dense(),
                in.denseMissing(),
                in.sparse(),
                Map.of(),
                in.embeddings());
    }

    public static Batch batch(List<Sample> samples) {
        BatchAssembler.Assembled a =
                new BatchAssembler(ModelLayout.of(SPEC), TASKS).assemble(samples);
        if (!a.rejected().isEmpty()) {
            throw new IllegalStateException(a.rejected().toString());
        }
        return a.batch();
    }

    /** A session trained for {@code steps} steps of 32 labeled pipeline samples. */
    public static TrainingSession train(int steps, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Sample> samples = new ArrayList<>();
        for (byte[] json : impressions(steps * 32, seed)) {
            Impression imp = parse(json);
            Map<String, Integer> labels = new LinkedHashMap<>();
            for (String task : TASKS) {
                labels.put(task, r.nextDouble() < 0.3 ? 1 : 0);
            }
            samples.add(pipelineSample(imp, labels));
        }
        TrainingSession session = new TrainingSession(CONFIG, ModelLayout.of(SPEC), 1);
        for (int i = 0; i < steps; i++) {
            session.step(batch(samples.subList(i * 32, i * 32 + 32)));
        }
        return session;
    }

    /**
     * Writes a version directory as the trainer service does: the checkpoint, the feature spec, the
     * probe samples and the model's predictions on them, the metrics.
     */
    public static void writeVersion(TrainingSession session, Path dir, int probeSize)
            throws IOException {
        Checkpoint.save(session, dir);
        Files.write(dir.resolve("feature-spec.json"), FeatureSpecJson.toBytes(SPEC));
        SampleCodec codec = new SampleCodec();
        List<Sample> probe = new ArrayList<>();
        for (byte[] json : impressions(probeSize, 99)) {
            probe.add(pipelineSample(parse(json), Map.of()));
        }
        try (DataOutputStream out =
                new DataOutputStream(Files.newOutputStream(dir.resolve("probe.bin")))) {
            out.writeInt(probe.size());
            for (Sample s : probe) {
                byte[] record = codec.encode(s);
                out.writeInt(record.length);
                out.write(record);
            }
        }
        float[] predictions = session.predict(batch(probe));
        ByteBuffer b = ByteBuffer.allocate(predictions.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(predictions);
        Files.write(dir.resolve("probe-predictions.bin"), b.array());
        Files.writeString(dir.resolve("metrics.json"), "{}");
    }

    /** The files of a version directory, as the trainer lists them in a manifest. */
    public static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(Manifest.FILE))
                    .sorted()
                    .toList();
        }
    }

    /** A manifest of {@code dir} with every file's sha256 and size, as the trainer writes it. */
    public static Manifest manifest(Path dir, long version) throws IOException {
        List<Manifest.FileEntry> entries = new ArrayList<>();
        for (String name : files(dir)) {
            Path f = dir.resolve(name);
            entries.add(new Manifest.FileEntry(name, Checksums.sha256(f), Files.size(f)));
        }
        Manifest.Counts counts = new Manifest.Counts(100, 100, 0, 0, 0);
        return new Manifest(
                Manifest.FORMAT,
                MODEL,
                version,
                "c" + version,
                "2026-01-01T00:00:00Z",
                null,
                entries,
                new Manifest.Lineage(
                        "samples",
                        Map.of(0, 100L),
                        counts,
                        counts,
                        1732262400123L,
                        1732262400223L,
                        SPEC.version(),
                        "config",
                        4),
                List.of(),
                Map.of(),
                null);
    }
}
