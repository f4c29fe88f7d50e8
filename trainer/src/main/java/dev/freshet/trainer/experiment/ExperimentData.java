package dev.freshet.trainer.experiment;

import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import dev.freshet.features.spec.FeatureSpec;
import dev.freshet.features.spec.FeatureSpecJson;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The samples every config of an experiment trains on, in the order they are replayed, and the
 * feature spec they were made under. Written once to a file that every worker process reads, so
 * each config sees exactly the same bytes in exactly the same order.
 */
public record ExperimentData(FeatureSpec spec, List<Sample> samples) {

    private static final int MAGIC = 0x46525831; // "FRX1"

    public ExperimentData {
        Objects.requireNonNull(spec, "spec");
        samples = List.copyOf(samples);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("there are no samples to train on");
        }
        for (Sample s : samples) {
            if (!spec.version().equals(s.specVersion())) {
                throw new IllegalArgumentException(
                        "sample "
                                + s.impressionId()
                                + " was made under spec "
                                + s.specVersion()
                                + ", not "
                                + spec.version());
            }
        }
    }

    /** The label names that occur in the samples, in order of first appearance. */
    public List<String> labelNames() {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (Sample s : samples) {
            s.labels().keySet().forEach(name -> seen.putIfAbsent(name, true));
        }
        return List.copyOf(seen.keySet());
    }

    /** The most samples any one request has among the samples from index {@code from} on. */
    public int largestRequest(int from) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        samples.subList(from, samples.size())
                .forEach(s -> sizes.merge(s.requestId(), 1, Integer::sum));
        return sizes.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /**
     * @throws IllegalArgumentException naming the task, if a task has no label in any sample: a
     *     model would learn nothing for it and its metrics would be empty
     */
    public void requireLabels(List<String> tasks) {
        List<String> labels = labelNames();
        for (String task : tasks) {
            if (!labels.contains(task)) {
                throw new IllegalArgumentException(
                        "task "
                                + task
                                + " has no label in any of the "
                                + samples.size()
                                + " samples (their labels: "
                                + labels
                                + ")");
            }
        }
    }

    /**
     * The samples of one spec version, chosen from a capture that may span several (the pipeline
     * refits its spec as data drifts): the version with the most samples among those whose spec is
     * known. Samples under other versions, or not transformed at all, are counted in {@code
     * skipped}.
     *
     * @throws IllegalArgumentException if no sample was made under a known spec
     */
    public static Chosen choose(Collection<FeatureSpec> specs, List<Sample> samples) {
        Map<String, FeatureSpec> byVersion = new LinkedHashMap<>();
        specs.forEach(spec -> byVersion.put(spec.version(), spec));
        Map<String, Integer> counts = new LinkedHashMap<>();
        samples.forEach(s -> counts.merge(s.specVersion(), 1, Integer::sum));
        String best = null;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (byVersion.containsKey(e.getKey())
                    && (best == null || e.getValue() > counts.get(best))) {
                best = e.getKey();
            }
        }
        if (best == null) {
            throw new IllegalArgumentException(
                    "none of the "
                            + samples.size()
                            + " samples was made under a known feature spec (versions in the"
                            + " samples: "
                            + counts.keySet()
                            + "; specs given: "
                            + byVersion.keySet()
                            + "); include the spec topic's records or pass the spec");
        }
        String version = best;
        List<Sample> kept = samples.stream().filter(s -> version.equals(s.specVersion())).toList();
        Map<String, Integer> skipped = new LinkedHashMap<>(counts);
        skipped.remove(version);
        return new Chosen(new ExperimentData(byVersion.get(version), kept), skipped);
    }

    /** The data an experiment uses and how many samples per other spec version were left out. */
    public record Chosen(ExperimentData data, Map<String, Integer> skipped) {
        public Chosen {
            skipped = Map.copyOf(skipped);
        }
    }

    /** Writes the spec and the samples in order (the Avro single-object encoding). */
    public void write(Path file) {
        SampleCodec codec = new SampleCodec();
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(MAGIC);
            bytes(out, FeatureSpecJson.toBytes(spec));
            out.writeInt(samples.size());
            for (Sample s : samples) {
                bytes(out, codec.encode(s));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write experiment data " + file, e);
        }
    }

    /** Reads what {@link #write} wrote. */
    public static ExperimentData read(Path file) {
        SampleCodec codec = new SampleCodec();
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException(file + " is not experiment data");
            }
            FeatureSpec spec = FeatureSpecJson.fromBytes(bytes(in));
            int count = in.readInt();
            List<Sample> samples = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                samples.add(codec.decode(bytes(in)));
            }
            return new ExperimentData(spec, samples);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read experiment data " + file, e);
        }
    }

    private static void bytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        return in.readNBytes(in.readInt());
    }
}
