package dev.freshet.trainer.config;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything that shapes the ranking model and how it learns (PRODUCT.md section 5). Immutable;
 * every field has a default so a config file only states what differs. Read from a file by {@link
 * ModelConfigFile}; {@link #defaults()} is the baseline: 4 stacked full-rank DCNv2 layers.
 *
 * @param tasks the tasks, in logit order, with their business weights in the loss
 * @param embeddingDim the row width of every sparse field's embedding table
 * @param projectAbove embedding features wider than this are projected down to {@code projectDim}
 * @param interaction the feature-interaction block
 * @param concatInput whether the interaction output is concatenated with the input embedding
 * @param biInteraction whether NFM's Bi-Interaction pooling of the sparse fields' embeddings is
 *     concatenated too (an extra branch before the MLP)
 * @param userInterest the user-interest vector pooled from a behaviour sequence, or null
 * @param mlp hidden layer widths of the shared MLP
 * @param klBound the optional symmetric-KL bound, or null
 * @param optimizer learning rates and the embedding optimizer
 * @param hit the task and cut-off of the HIT@k metric, or null if no task is ranked that way
 * @param seed seeds parameter initialization; same seed, config and data give identical runs
 */
public record ModelConfig(
        List<Task> tasks,
        int embeddingDim,
        int projectAbove,
        int projectDim,
        Interaction interaction,
        boolean concatInput,
        boolean biInteraction,
        UserInterest userInterest,
        List<Integer> mlp,
        KlBound klBound,
        Optimizer optimizer,
        Hit hit,
        long seed) {

    public ModelConfig {
        tasks = List.copyOf(tasks);
        mlp = List.copyOf(mlp);
        Objects.requireNonNull(interaction, "interaction");
        Objects.requireNonNull(optimizer, "optimizer");
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("tasks: at least one task is required");
        }
        Set<String> names = new HashSet<>();
        for (Task t : tasks) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("tasks: '" + t.name() + "' appears twice");
            }
        }
        positive("embedding_dim", embeddingDim);
        positive("project_above", projectAbove);
        positive("project_dim", projectDim);
        for (int i = 0; i < mlp.size(); i++) {
            positive("mlp[" + i + "]", mlp.get(i));
        }
        if (klBound != null) {
            for (String task : klBound.product()) {
                requireTask(names, "kl_bound.product", task);
            }
            requireTask(names, "kl_bound.target", klBound.target());
        }
        if (hit != null) {
            requireTask(names, "hit.task", hit.task());
        }
    }

    /** The baseline: click only, 16-wide tables, 4 full-rank DCNv2 layers, MLP 256-128. */
    public static ModelConfig defaults() {
        return new ModelConfig(
                List.of(new Task("click", 1.0)),
                16,
                32,
                16,
                Interaction.defaults(),
                true,
                false,
                null,
                List.of(256, 128),
                null,
                Optimizer.defaults(),
                null,
                42);
    }

    public List<String> taskNames() {
        return tasks.stream().map(Task::name).toList();
    }

    public int taskIndex(String name) {
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown task '" + name + "'");
    }

    public ModelConfig withSeed(long newSeed) {
        return new ModelConfig(
                tasks,
                embeddingDim,
                projectAbove,
                projectDim,
                interaction,
                concatInput,
                biInteraction,
                userInterest,
                mlp,
                klBound,
                optimizer,
                hit,
                newSeed);
    }

    private static void requireTask(Set<String> names, String key, String task) {
        if (!names.contains(task)) {
            throw new IllegalArgumentException(
                    key + ": '" + task + "' is not one of the tasks " + names);
        }
    }

    static void positive(String key, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(key + ": must be positive, got " + value);
        }
    }

    /** A task and its weight in the loss (business configuration). */
    public record Task(String name, double weight) {
        public Task {
            Objects.requireNonNull(name, "tasks[].name");
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException(
                        "tasks." + name + ".weight: must be finite and >= 0, got " + weight);
            }
        }
    }

    /** How a behaviour sequence's rows become one user-interest vector. */
    public enum Pooling {
        /** The masked mean of the sequence's rows. */
        AVERAGE,
        /** The element-wise masked maximum. */
        MAX,
        /** DIN: a softmax over target-aware scores from a small MLP, then the weighted sum. */
        ATTENTION
    }

    /**
     * A user-interest vector from a behaviour sequence (issue 11): the sequence field's rows are
     * pooled on the device instead of mean-pooled on the host, and the result takes that field's
     * place in the feature embedding.
     *
     * @param sequence the multi-valued sparse field holding the behaviour sequence, newest first
     * @param target the sparse field the attention compares each element with (e.g. item_id)
     * @param pooling average, max or attention
     * @param maxLength the sequence's first {@code maxLength} ids are used, the rest ignored
     * @param attentionHidden the width of the attention MLP's hidden layer
     */
    public record UserInterest(
            String sequence, String target, Pooling pooling, int maxLength, int attentionHidden) {
        public UserInterest {
            Objects.requireNonNull(sequence, "user_interest.sequence");
            Objects.requireNonNull(target, "user_interest.target");
            Objects.requireNonNull(pooling, "user_interest.pooling");
            if (sequence.equals(target)) {
                throw new IllegalArgumentException(
                        "user_interest.target: must differ from the sequence '" + sequence + "'");
            }
            positive("user_interest.max_length", maxLength);
            positive("user_interest.attention_hidden", attentionHidden);
        }
    }

    /** Which interaction block follows the feature embedding. */
    public enum InteractionType {
        /** Stacked full-rank DCNv2 cross layers. */
        DCN,
        /** DCNv2 cross layers with W = U V^T, ReLU between the two projections. */
        DCN_LOW_RANK,
        /** Parallel MaskNet blocks, concatenated, with DCNv2 layers stacked on top. */
        MASKNET_PARALLEL,
        /** Independent full-rank DCNv2 stacks on the same input, concatenated. */
        DCN_PARALLEL,
        /** MaskNet blocks one after another (masks from the input), DCNv2 layers on top. */
        MASKNET_SEQUENTIAL
    }

    /**
     * @param crossLayers DCNv2 layers (on the input embedding, per {@code dcn_parallel} stack, or
     *     on top of the MaskNet blocks)
     * @param rank the rank of low-rank cross layers
     * @param maskBlocks MaskNet blocks (parallel or sequential)
     * @param projectionRatio the mask generator's hidden width as a multiple of the width it masks
     *     (the input's; a sequential block after the first masks the previous block's output)
     * @param maskOutputDim each MaskNet block's output width
     * @param parallelStacks the number of DCNv2 stacks of {@code dcn_parallel}
     */
    public record Interaction(
            InteractionType type,
            int crossLayers,
            int rank,
            int maskBlocks,
            double projectionRatio,
            int maskOutputDim,
            int parallelStacks) {
        public Interaction {
            Objects.requireNonNull(type, "interaction.type");
            if (crossLayers < 0) {
                throw new IllegalArgumentException("interaction.cross_layers: must be >= 0");
            }
            positive("interaction.rank", rank);
            positive("interaction.mask_blocks", maskBlocks);
            positive("interaction.projection_ratio", projectionRatio);
            positive("interaction.mask_output_dim", maskOutputDim);
            positive("interaction.parallel_stacks", parallelStacks);
            if (type == InteractionType.DCN_PARALLEL && crossLayers == 0) {
                throw new IllegalArgumentException(
                        "interaction.cross_layers: dcn_parallel needs at least 1 per stack");
            }
        }

        public static Interaction defaults() {
            return new Interaction(InteractionType.DCN, 4, 32, 3, 2.0, 512, 2);
        }
    }

    /**
     * Meituan's KL-divergence bound: the symmetric KL between p(product[0]) * p(product[1]) and
     * p(target), e.g. p(click) * p(conversion) against p(pay), added to the loss times {@code
     * weight}.
     */
    public record KlBound(List<String> product, String target, double weight) {
        public KlBound {
            product = List.copyOf(product);
            Objects.requireNonNull(target, "kl_bound.target");
            if (product.size() != 2) {
                throw new IllegalArgumentException(
                        "kl_bound.product: exactly two tasks, got " + product);
            }
            positive("kl_bound.weight", weight);
        }
    }

    /** The optimizer of the row-sparse embedding tables. */
    public enum EmbeddingOptimizer {
        ADAM,
        ADAGRAD
    }

    /**
     * @param denseLr Adam's learning rate for every non-table parameter
     * @param embedding the row-sparse optimizer of the embedding tables
     * @param embeddingLr its learning rate
     * @param beta1 Adam's first-moment decay (dense and embedding)
     * @param beta2 Adam's second-moment decay
     * @param epsilon added to the denominator (Adam and Adagrad)
     */
    public record Optimizer(
            double denseLr,
            EmbeddingOptimizer embedding,
            double embeddingLr,
            double beta1,
            double beta2,
            double epsilon) {
        public Optimizer {
            Objects.requireNonNull(embedding, "optimizer.embedding");
            positive("optimizer.dense_lr", denseLr);
            positive("optimizer.embedding_lr", embeddingLr);
            positive("optimizer.epsilon", epsilon);
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("optimizer.beta1/beta2: must be in [0, 1)");
            }
        }

        public static Optimizer defaults() {
            return new Optimizer(1e-3, EmbeddingOptimizer.ADAM, 1e-2, 0.9, 0.999, 1e-8);
        }
    }

    /** HIT@k: per request, rank by the task's prediction and count its positives in the top k. */
    public record Hit(String task, int k) {
        public Hit {
            Objects.requireNonNull(task, "hit.task");
            positive("hit.k", k);
        }
    }
}
