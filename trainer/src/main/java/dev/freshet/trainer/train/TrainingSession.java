package dev.freshet.trainer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.embedding.SparseEmbeddings;
import dev.freshet.trainer.engine.TorchRuntime;
import dev.freshet.trainer.loss.MultiTaskLoss;
import dev.freshet.trainer.model.ModelInputs;
import dev.freshet.trainer.model.RankingNetwork;
import dev.freshet.trainer.optim.DenseAdam;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ranking model being trained: the dense network on PyTorch, the embedding tables on the host,
 * their optimizers and the loss. {@link #step} learns from one batch; {@link #predict} scores
 * without learning. Everything a step allocates natively lives in a sub-manager closed at the end
 * of the step, so native memory stays flat.
 *
 * <p>Deterministic: parameters come from one seeded Java RNG, the host-side pooling and row updates
 * run in a fixed order, and PyTorch runs with one intra-op thread; same config, layout, seed and
 * batches give bit-identical parameters. Not thread-safe.
 */
public final class TrainingSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingSession.class);

    private final ModelConfig config;
    private final ModelLayout layout;
    private final Engine engine;
    private final NDManager manager;
    private final RankingNetwork network;
    private final SparseEmbeddings embeddings;
    private final DenseAdam denseOptimizer;
    private final MultiTaskLoss loss;
    private long steps;
    private long samples;

    /** A session on the CPU, the default (DJL itself would pick a GPU when it sees one). */
    public TrainingSession(ModelConfig config, ModelLayout layout, int threads) {
        this(config, layout, threads, Device.cpu());
    }

    /**
     * A session on {@code device}: the dense network and its optimizer live there; the embedding
     * tables stay in host memory and only the pooled rows cross to the device each step.
     * Bit-identical runs are guaranteed on the CPU only.
     */
    public TrainingSession(ModelConfig config, ModelLayout layout, int threads, Device device) {
        this.config = config;
        this.layout = layout;
        this.engine = TorchRuntime.engine(threads);
        this.manager = engine.newBaseManager(device);
        SplittableRandom random = new SplittableRandom(config.seed());
        this.network = new RankingNetwork(layout, config);
        network.params().initialize(manager, random.split());
        this.embeddings = new SparseEmbeddings(layout, config, random.split());
        ModelConfig.Optimizer opt = config.optimizer();
        this.denseOptimizer =
                new DenseAdam(
                        manager,
                        network.params(),
                        opt.denseLr(),
                        opt.beta1(),
                        opt.beta2(),
                        opt.epsilon());
        this.loss = new MultiTaskLoss(config);
        LOG.info(
                "Model built on {}: {} dense parameters, {} embedding rows x {} over {} fields,"
                        + " input width {}, interaction {}",
                manager.getDevice(),
                network.params().count(),
                embeddings.tables().stream().mapToLong(t -> t.rows()).sum(),
                config.embeddingDim(),
                embeddings.fields(),
                network.inputDim(),
                config.interaction().type());
    }

    /** Learns from one batch, unless the loss or a gradient is not finite. */
    public StepResult step(Batch batch) {
        return step(batch, UpdateGuard.FINITE);
    }

    /**
     * Learns from one batch unless the loss or a gradient is not finite ({@link
     * StepResult#NON_FINITE}) or {@code guard} refuses the update.
     */
    public StepResult step(Batch batch, UpdateGuard guard) {
        if (batch.size() == 0) {
            throw new IllegalArgumentException("empty batch");
        }
        int b = batch.size();
        int k = config.tasks().size();
        try (NDManager stepManager = manager.newSubManager()) {
            ModelInputs inputs = inputs(stepManager, batch, true);
            NDArray labels = stepManager.create(batch.labels(), new Shape(b, k));
            NDArray mask = stepManager.create(batch.labelMask(), new Shape(b, k));
            NDArray weights = stepManager.create(batch.weights(), new Shape(b));
            NDArray logits;
            MultiTaskLoss.Value value;
            try (GradientCollector collector = engine.newGradientCollector()) {
                logits = network.forward(inputs);
                value = loss.compute(logits, labels, mask, weights);
                collector.backward(value.total());
            }
            float[] probabilities = Activation.sigmoid(logits).toFloatArray();
            float total = value.total().getFloat();
            float[] taskLosses = value.perTask().toFloatArray();
            float kl = value.kl() == null ? Float.NaN : value.kl().getFloat();
            double sparseSquares = 0;
            if (inputs.pooled() != null) {
                sparseSquares =
                        embeddings.backward(
                                batch,
                                inputs.pooled().getGradient().toFloatArray(),
                                inputs.sequence() == null
                                        ? null
                                        : inputs.sequence().getGradient().toFloatArray());
            }
            double gradientNorm =
                    Math.sqrt(denseOptimizer.gradientSquaredNorm(stepManager) + sparseSquares);
            String refused =
                    Float.isFinite(total) && Double.isFinite(gradientNorm)
                            ? guard.refuse(total, gradientNorm)
                            : StepResult.NON_FINITE;
            if (refused == null) {
                denseOptimizer.step(stepManager);
                embeddings.step();
                steps++;
                samples += b;
            } else {
                denseOptimizer.skip();
                LOG.debug(
                        "Step refused ({}): loss {} gradient norm {}",
                        refused,
                        total,
                        gradientNorm);
            }
            return new StepResult(b, refused, total, taskLosses, kl, gradientNorm, probabilities);
        }
    }

    /** [B x K] row-major probabilities, without learning. */
    public float[] predict(Batch batch) {
        try (NDManager stepManager = manager.newSubManager()) {
            NDArray logits = network.forward(inputs(stepManager, batch, false));
            return Activation.sigmoid(logits).toFloatArray();
        }
    }

    private ModelInputs inputs(NDManager stepManager, Batch batch, boolean trainable) {
        ModelInputs inputs =
                ModelInputs.of(
                        stepManager,
                        batch,
                        layout.dense().size(),
                        embeddings.fields() == 0 ? new float[0] : embeddings.pool(batch),
                        embeddings.fields(),
                        config.embeddingDim(),
                        layout.embeddingWidth(),
                        trainable);
        if (embeddings.sequenceField() < 0) {
            return inputs;
        }
        SparseEmbeddings.Sequence sequence = embeddings.sequence(batch);
        return inputs.withSequence(
                sequence.rows(),
                sequence.mask(),
                sequence.length(),
                config.embeddingDim(),
                trainable);
    }

    public ModelConfig config() {
        return config;
    }

    public ModelLayout layout() {
        return layout;
    }

    public RankingNetwork network() {
        return network;
    }

    public SparseEmbeddings embeddings() {
        return embeddings;
    }

    public DenseAdam denseOptimizer() {
        return denseOptimizer;
    }

    NDManager manager() {
        return manager;
    }

    /** Applied steps since the model was created (restored with a checkpoint). */
    public long steps() {
        return steps;
    }

    /** Samples learned from since the model was created (restored with a checkpoint). */
    public long samples() {
        return samples;
    }

    void restoreCounters(long restoredSteps, long restoredSamples) {
        this.steps = restoredSteps;
        this.samples = restoredSamples;
    }

    @Override
    public void close() {
        manager.close();
    }
}
