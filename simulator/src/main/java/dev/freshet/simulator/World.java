package dev.freshet.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fixed population a simulation draws from: users in segments and cities, items in categories
 * with a quality, a price and tags. Built once from the seed; read-only afterwards.
 *
 * <p>Every user's latent vector is its segment's vector plus a little individual noise; every
 * item's is its category's vector plus noise. So the affinity {@code u·v} is mostly a function of
 * (segment, category): that cross is what a model can learn.
 */
final class World {

    static final int SEGMENTS = 16;
    static final int DIM = 8;
    static final String[] CATEGORIES = {
        "food", "grocery", "electronics", "phones", "books", "music", "games", "toys",
        "fashion", "shoes", "beauty", "health", "sports", "outdoor", "travel", "home",
        "garden", "kitchen", "pets", "baby", "auto", "tools", "office", "art"
    };
    static final String[] CITIES = {
        "beijing", "shanghai", "guangzhou", "shenzhen", "chengdu", "hangzhou", "wuhan", "xian",
        "tokyo", "osaka", "seoul", "singapore", "london", "paris", "berlin", "madrid",
        "new-york", "chicago", "san-francisco", "toronto"
    };
    private static final String[] TAG_WORDS = {
        "new", "classic", "premium", "budget", "eco", "local", "imported", "limited",
        "bestseller", "handmade", "spicy", "light", "family", "gift", "pro", "mini"
    };
    private static final int TAGS_PER_CATEGORY = 6;

    /** How strongly the latent vectors cluster around their group's vector. */
    private static final double INDIVIDUAL_NOISE = 0.3;

    record User(String id, int segment, String city, double[] vector) {}

    record Item(
            String id,
            int category,
            double[] vector,
            double quality,
            double price,
            List<String> tags,
            double ctr7d) {}

    final User[] users;
    final Item[] items;

    /** Cumulative popularity of items (Zipf over a random rank order), for sampling. */
    private final double[] itemCdf;

    /** Cumulative activity of users (mildly skewed), for sampling. */
    private final double[] userCdf;

    /** Mean log price of each category. */
    final double[] categoryLogPrice;

    World(long seed, int userCount, int itemCount) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] segments = vectors(r, SEGMENTS);
        double[][] categories = vectors(r, CATEGORIES.length);
        categoryLogPrice = new double[CATEGORIES.length];
        List<List<String>> tagPools = new ArrayList<>();
        for (int c = 0; c < CATEGORIES.length; c++) {
            categoryLogPrice[c] = 1.0 + 4.0 * r.nextDouble();
            List<String> pool = new ArrayList<>();
            while (pool.size() < TAGS_PER_CATEGORY) {
                String tag = CATEGORIES[c] + "-" + TAG_WORDS[r.nextInt(TAG_WORDS.length)];
                if (!pool.contains(tag)) {
                    pool.add(tag);
                }
            }
            tagPools.add(pool);
        }
        users = new User[userCount];
        for (int u = 0; u < userCount; u++) {
            int segment = r.nextInt(SEGMENTS);
            String city = CITIES[(int) (CITIES.length * Math.pow(r.nextDouble(), 2))];
            users[u] = new User("u" + u, segment, city, jitter(r, segments[segment]));
        }
        items = new Item[itemCount];
        for (int i = 0; i < itemCount; i++) {
            int category = r.nextInt(CATEGORIES.length);
            double[] vector = jitter(r, categories[category]);
            double quality = 0.4 * gaussian(r);
            double price = Math.exp(categoryLogPrice[category] + 0.5 * gaussian(r));
            List<String> pool = tagPools.get(category);
            int tagCount = 1 + r.nextInt(3);
            List<String> tags = new ArrayList<>(tagCount);
            while (tags.size() < tagCount) {
                String tag = pool.get(r.nextInt(pool.size()));
                if (!tags.contains(tag)) {
                    tags.add(tag);
                }
            }
            // What a 7-day counter would say on average: the item's quality at a typical
            // affinity and position.
            double ctr7d = Engagements.sigmoid(Engagements.CLICK_BASE + quality);
            items[i] =
                    new Item(
                            "i" + i,
                            category,
                            vector,
                            quality,
                            Math.round(price * 100) / 100.0,
                            List.copyOf(tags),
                            ctr7d);
        }
        itemCdf = zipfCdf(r, itemCount, 0.9);
        userCdf = zipfCdf(r, userCount, 0.5);
    }

    User user(SplittableRandom r) {
        return users[pick(userCdf, r.nextDouble())];
    }

    /** {@code n} distinct items, popular ones more often. */
    Item[] distinctItems(SplittableRandom r, int n) {
        Item[] out = new Item[n];
        boolean[] taken = new boolean[items.length];
        for (int k = 0; k < n; k++) {
            int i = pick(itemCdf, r.nextDouble());
            for (int tries = 0; taken[i] && tries < 32; tries++) {
                i = pick(itemCdf, r.nextDouble());
            }
            while (taken[i]) {
                i = (i + 1) % items.length;
            }
            taken[i] = true;
            out[k] = items[i];
        }
        return out;
    }

    /** Scaled so that the affinity has a standard deviation of about 1. */
    static double affinity(User u, Item i) {
        double dot = 0;
        for (int d = 0; d < DIM; d++) {
            dot += u.vector()[d] * i.vector()[d];
        }
        return dot / Math.sqrt(DIM);
    }

    static double gaussian(SplittableRandom r) {
        // Box-Muller; one draw per call keeps the sequence simple to reason about.
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static double[][] vectors(SplittableRandom r, int n) {
        double[][] out = new double[n][DIM];
        for (double[] v : out) {
            for (int d = 0; d < DIM; d++) {
                v[d] = gaussian(r);
            }
        }
        return out;
    }

    private static double[] jitter(SplittableRandom r, double[] center) {
        double[] v = new double[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = center[d] + INDIVIDUAL_NOISE * gaussian(r);
        }
        return v;
    }

    /** Weights 1/rank^s over a random rank order, as a cumulative distribution. */
    private static double[] zipfCdf(SplittableRandom r, int n, double s) {
        int[] rank = new int[n];
        for (int i = 0; i < n; i++) {
            rank[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = rank[i];
            rank[i] = rank[j];
            rank[j] = t;
        }
        double[] cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / Math.pow(rank[i] + 1, s);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        return cdf;
    }

    private static int pick(double[] cdf, double u) {
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
