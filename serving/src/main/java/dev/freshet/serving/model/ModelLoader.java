package dev.freshet.serving.model;

import dev.freshet.features.sample.Sample;
import dev.freshet.features.spec.FeatureSpec;
import dev.freshet.features.spec.FeatureSpecJson;
import dev.freshet.manifest.Checksums;
import dev.freshet.manifest.Manifest;
import dev.freshet.trainer.data.BatchAssembler;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.train.Checkpoint;
import dev.freshet.trainer.train.TrainingSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a downloaded version directory into a {@link LoadedModel}, or refuses it: every file the
 * manifest lists must be there with its recorded size and sha256; the checkpoint must load with the
 * trainer's own code and match the version's feature spec; and the loaded model must reproduce the
 * trainer's predictions on the probe set within {@code tolerance}, which proves the load is
 * faithful (same parameters, same tables, same layout) before any request sees it.
 */
public final class ModelLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

    /** The file holding the version's feature spec (written by the trainer service). */
    public static final String FEATURE_SPEC = "feature-spec.json";

    /** What serving cannot do without. */
    static final List<String> REQUIRED =
            List.of(Checkpoint.TRAINER, Checkpoint.PARAMETERS, Checkpoint.OPTIMIZER, FEATURE_SPEC);

    private final int threads;
    private final double tolerance;

    /**
     * @param threads PyTorch intra-op threads
     * @param tolerance the largest difference allowed between a probe prediction and the trainer's
     */
    public ModelLoader(int threads, double tolerance) {
        this.threads = threads;
        this.tolerance = tolerance;
    }

    public LoadedModel load(Path dir, Manifest manifest) throws ModelLoadException {
        verify(dir, manifest);
        FeatureSpec spec;
        TrainingSession session;
        try {
            spec = FeatureSpecJson.fromBytes(Files.readAllBytes(dir.resolve(FEATURE_SPEC)));
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(
                    FailureReason.LOAD_ERROR, FEATURE_SPEC + " is unreadable: " + e, e);
        }
        try {
            session = Checkpoint.load(dir, threads);
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(
                    FailureReason.LOAD_ERROR, "checkpoint does not load: " + e, e);
        }
        LoadedModel model = new LoadedModel(manifest.version(), spec, session);
        try {
            if (!ModelLayout.of(spec).equals(session.layout())) {
                throw new ModelLoadException(
                        FailureReason.LOAD_ERROR,
                        "the checkpoint's layout is not the one of "
                                + FEATURE_SPEC
                                + " (spec "
                                + spec.version()
                                + ", model "
                                + session.layout().specVersion()
                                + ")");
            }
            warmUp(dir, model, manifest);
        } catch (ModelLoadException | RuntimeException e) {
            model.release();
            if (e instanceof ModelLoadException mle) {
                throw mle;
            }
            throw new ModelLoadException(FailureReason.LOAD_ERROR, "model does not run: " + e, e);
        }
        LOG.info(
                "Loaded version {} (spec {}, tasks {})",
                manifest.version(),
                spec.version(),
                model.tasks());
        return model;
    }

    /** Every file of the manifest is in {@code dir} with its size and sha256. */
    static void verify(Path dir, Manifest manifest) throws ModelLoadException {
        Set<String> listed =
                manifest.files().stream().map(Manifest.FileEntry::name).collect(Collectors.toSet());
        for (String name : REQUIRED) {
            if (!listed.contains(name)) {
                throw new ModelLoadException(
                        FailureReason.MISSING_FILE, "the manifest lists no " + name);
            }
        }
        for (Manifest.FileEntry f : manifest.files()) {
            Path file = dir.resolve(f.name());
            try {
                if (!Files.isRegularFile(file)) {
                    throw new ModelLoadException(
                            FailureReason.MISSING_FILE, f.name() + " is missing");
                }
                long size = Files.size(file);
                if (size != f.bytes()) {
                    throw new ModelLoadException(
                            FailureReason.SIZE_MISMATCH,
                            f.name() + " has " + size + " bytes, the manifest says " + f.bytes());
                }
                String sha = Checksums.sha256(file);
                if (!sha.equals(f.sha256())) {
                    throw new ModelLoadException(
                            FailureReason.CHECKSUM_MISMATCH,
                            f.name() + " has sha256 " + sha + ", the manifest says " + f.sha256());
                }
            } catch (IOException e) {
                throw new ModelLoadException(
                        FailureReason.MISSING_FILE, f.name() + " is unreadable: " + e, e);
            }
        }
    }

    /**
     * Predicts the probe set and compares with the trainer's predictions. A version published
     * before its probe set filled up has no predictions to compare with; it is then only run once
     * on an input with every feature absent, which must give finite probabilities.
     */
    private void warmUp(Path dir, LoadedModel model, Manifest manifest) throws ModelLoadException {
        boolean hasProbe =
                manifest.files().stream().anyMatch(f -> f.name().equals(ProbeFiles.PREDICTIONS))
                        && manifest.files().stream()
                                .anyMatch(f -> f.name().equals(ProbeFiles.SAMPLES));
        List<Sample> samples;
        float[] expected = null;
        String layoutVersion = model.assembler().layout().specVersion();
        try {
            if (hasProbe) {
                samples =
                        ProbeFiles.samples(dir).stream()
                                .map(s -> s.withSpecVersion(layoutVersion))
                                .toList();
                expected = ProbeFiles.predictions(dir);
            } else {
                samples = List.of(Probes.blank(layoutVersion));
            }
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(
                    FailureReason.LOAD_ERROR, "probe files are unreadable: " + e, e);
        }
        BatchAssembler.Assembled assembled = model.assembler().assemble(samples);
        if (!assembled.rejected().isEmpty()) {
            throw new ModelLoadException(
                    FailureReason.WARMUP_MISMATCH,
                    "the model cannot read its own probe sample: "
                            + assembled.rejected().get(0).reason());
        }
        float[] actual = model.predict(assembled.batch());
        for (int i = 0; i < actual.length; i++) {
            if (!Float.isFinite(actual[i])) {
                throw new ModelLoadException(
                        FailureReason.WARMUP_MISMATCH, "probe prediction " + i + " is not finite");
            }
        }
        if (expected == null) {
            return;
        }
        if (expected.length != actual.length) {
            throw new ModelLoadException(
                    FailureReason.WARMUP_MISMATCH,
                    "the trainer recorded "
                            + expected.length
                            + " probe predictions, the model made "
                            + actual.length);
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]);
            if (Double.isNaN(d) || d > worst) {
                worst = d;
                at = i;
                if (Double.isNaN(d)) {
                    break;
                }
            }
        }
        if (worst > tolerance || Double.isNaN(worst)) {
            throw new ModelLoadException(
                    FailureReason.WARMUP_MISMATCH,
                    "probe prediction "
                            + at
                            + " is "
                            + actual[at]
                            + ", the trainer's was "
                            + expected[at]
                            + " (tolerance "
                            + tolerance
                            + ")");
        }
        LOG.info(
                "Version {} reproduces the trainer's {} probe predictions (max difference {})",
                manifest.version(),
                actual.length,
                worst);
    }
}
