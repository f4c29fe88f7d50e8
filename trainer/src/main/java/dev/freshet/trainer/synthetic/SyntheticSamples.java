package dev.freshet.trainer.synthetic;

import dev.freshet.features.sample.Sample;
import dev.freshet.features.spec.DenseSpec;
import dev.freshet.features.spec.EmbeddingSpec;
import dev.freshet.features.spec.FeatureSpec;
import dev.freshet.features.spec.SparseSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded samples with a known, learnable signal, already in the form the pipeline emits (bucketized
 * dense values, hashed ids, a spec version): users and items with latent vectors, requests of
 * several items for one user, and four tasks whose probabilities depend on user-item affinity, on
 * dense features and on whether a dense value is missing:
 *
 * <ul>
 *   <li>click ~ σ(u·v + item bias + 1.5 (price bucket − 0.5) + 0.8 [freshness missing] − 1.2)
 *   <li>save ~ σ(1.5 u·v − 2 + 2 (quality bucket − 0.5)), independent of click
 *   <li>conversion ~ σ(u·w − 1 + category effect)
 *   <li>pay = click ∧ conversion, so p(pay) = p(click) p(conversion): the relation the KL bound
 *       encodes
 * </ul>
 *
 * The item vector is also given as a 40-wide embedding feature (a random projection of v plus
 * noise), wide enough to go through the model's learned projection. Used by the learning tests and
 * the benchmarks, which therefore train on data where a model that learns must beat AUC 0.5.
 */
public final class SyntheticSamples {

    public static final List<String> TASKS = List.of("click", "save", "conversion", "pay");
    static final int LATENT = 4;
    static final int ITEM_VECTOR = 40;

    /**
     * @param users distinct users
     * @param items distinct items
     * @param buckets hash buckets of the user and item fields (the table rows grow with it)
     * @param itemsPerRequest items shown per request
     */
    public record Shape(int users, int items, int buckets, int itemsPerRequest) {
        public static Shape small() {
            return new Shape(400, 300, 1024, 8);
        }
    }

    /**
     * The spec the samples claim, the samples, and each sample's true probability per task ({@code
     * truth[i * 4 + k]}, tasks in {@link #TASKS} order): the best any model could predict.
     */
    public record Data(FeatureSpec spec, List<Sample> samples, float[] truth) {}

    public static FeatureSpec spec(Shape shape) {
        double[] cuts = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
        return FeatureSpec.of(
                11,
                List.of(
                        new DenseSpec("price", cuts),
                        new DenseSpec("quality", cuts),
                        new DenseSpec("freshness", cuts),
                        new DenseSpec("noise", cuts)),
                List.of(
                        new SparseSpec("user", shape.buckets(), 1, new long[0]),
                        new SparseSpec("item", shape.buckets(), 1, new long[0]),
                        new SparseSpec("category", 64, 1, new long[0]),
                        new SparseSpec("tags", 256, 1, new long[0])),
                List.of(new EmbeddingSpec("item_vector", ITEM_VECTOR)));
    }

    public static Data generate(int count, long seed, Shape shape) {
        return new SyntheticSamples(seed, shape).samples(count, seed);
    }

    private final FeatureSpec spec;
    private final Shape shape;
    private final double[][] user;
    private final double[][] userConv;
    private final double[][] item;
    private final double[][] itemConv;
    private final double[] itemBias;
    private final int[] category;
    private final double[] categoryEffect = new double[40];
    private final double[][] projection;
    private final long[] userIds;
    private final long[] itemIds;

    private SyntheticSamples(long seed, Shape shape) {
        this.spec = spec(shape);
        this.shape = shape;
        SplittableRandom world = new SplittableRandom(seed);
        user = vectors(world, shape.users(), LATENT, 1.0);
        userConv = vectors(world, shape.users(), LATENT, 0.8);
        item = vectors(world, shape.items(), LATENT, 1.0);
        itemConv = vectors(world, shape.items(), LATENT, 0.8);
        itemBias = new double[shape.items()];
        category = new int[shape.items()];
        for (int i = 0; i < shape.items(); i++) {
            itemBias[i] = world.nextGaussian() * 0.5;
            category[i] = world.nextInt(categoryEffect.length);
        }
        for (int c = 0; c < categoryEffect.length; c++) {
            categoryEffect[c] = world.nextGaussian() * 0.7;
        }
        projection = vectors(world, ITEM_VECTOR, LATENT, 1.0);
        userIds = ids(world, shape.users(), shape.buckets());
        itemIds = ids(world, shape.items(), shape.buckets());
    }

    private Data samples(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed * 31 + 7);
        List<Sample> samples = new ArrayList<>(count);
        float[] truth = new float[count * TASKS.size()];
        long time = 1_700_000_000_000L;
        int request = 0;
        while (samples.size() < count) {
            int u = random.nextInt(shape.users());
            String requestId = "r" + seed + "-" + request++;
            for (int slot = 0; slot < shape.itemsPerRequest() && samples.size() < count; slot++) {
                int v = random.nextInt(shape.items());
                samples.add(sample(random, requestId, samples.size(), time++, u, v, truth));
            }
        }
        return new Data(spec, samples, truth);
    }

    private Sample sample(
            SplittableRandom random,
            String requestId,
            int index,
            long time,
            int u,
            int v,
            float[] truth) {
        float price = bucket(random.nextDouble());
        float quality = bucket(random.nextDouble());
        boolean freshnessMissing = random.nextDouble() < 0.2;
        Map<String, Float> dense = new LinkedHashMap<>();
        dense.put("price", price);
        dense.put("quality", quality);
        if (!freshnessMissing) {
            dense.put("freshness", bucket(random.nextDouble()));
        }
        dense.put("noise", bucket(random.nextDouble()));
        List<String> missing = freshnessMissing ? List.of("freshness") : List.of();

        double affinity = dot(user[u], item[v]);
        double click =
                affinity + itemBias[v] + 1.5 * (price - 0.5) + (freshnessMissing ? 0.8 : 0) - 1.2;
        double save = 1.5 * affinity - 2 + 2 * (quality - 0.5);
        double conversion = dot(userConv[u], itemConv[v]) - 1 + categoryEffect[category[v]];
        int t = index * TASKS.size();
        truth[t] = (float) sigmoid(click);
        truth[t + 1] = (float) sigmoid(save);
        truth[t + 2] = (float) sigmoid(conversion);
        truth[t + 3] = truth[t] * truth[t + 2];
        int c = random.nextDouble() < sigmoid(click) ? 1 : 0;
        int s = random.nextDouble() < sigmoid(save) ? 1 : 0;
        int cv = random.nextDouble() < sigmoid(conversion) ? 1 : 0;
        Map<String, Integer> labels = new LinkedHashMap<>();
        labels.put("click", c);
        labels.put("save", s);
        labels.put("conversion", cv);
        labels.put("pay", c * cv);

        Map<String, long[]> sparse = new LinkedHashMap<>();
        sparse.put("user", new long[] {userIds[u]});
        sparse.put("item", new long[] {itemIds[v]});
        sparse.put("category", new long[] {1 + category[v]});
        int tagCount = random.nextInt(4);
        if (tagCount > 0) {
            long[] tags = new long[tagCount];
            for (int j = 0; j < tagCount; j++) {
                tags[j] = 1 + (category[v] * 5L + random.nextInt(5)) % 255;
            }
            sparse.put("tags", tags);
        }
        float[] vector = new float[ITEM_VECTOR];
        for (int i = 0; i < ITEM_VECTOR; i++) {
            vector[i] = (float) (dot(projection[i], item[v]) + 0.3 * random.nextGaussian());
        }
        return new Sample(
                "imp-" + index,
                requestId,
                "u" + u,
                "i" + v,
                null,
                time,
                time,
                spec.version(),
                labels,
                1f,
                dense,
                missing,
                sparse,
                Map.of(),
                Map.of("item_vector", vector));
    }

    private static float bucket(double x) {
        return (float) (Math.floor(x * 10) / 10);
    }

    private static double[][] vectors(SplittableRandom r, int n, int dim, double scale) {
        double[][] v = new double[n][dim];
        for (double[] row : v) {
            for (int j = 0; j < dim; j++) {
                row[j] = r.nextGaussian() * scale / Math.sqrt(dim) * 1.5;
            }
        }
        return v;
    }

    /** Distinct hashed ids in 1 .. buckets - 1, as the pipeline's field hashing would give. */
    private static long[] ids(SplittableRandom r, int n, int buckets) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 1 + r.nextInt(buckets - 1);
        }
        return ids;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
