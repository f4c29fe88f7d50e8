package dev.freshet.trainer.metrics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * HIT@k: how many of a request's positives the model puts in its top k.
 *
 * <p>The contract's "HIT@3/save" is this with k = 3 and the save task's predicted probabilities and
 * labels: per request, rank the items by predicted save probability and count the saves in the top
 * 3. It measures what a user sees, which AUC over all samples does not (AUC mixes items of
 * different requests that are never ranked against each other).
 *
 * <p>Definition, exactly:
 *
 * <ul>
 *   <li>Samples are grouped by request id (equal strings; the samples of one request need not be
 *       adjacent).
 *   <li>Within a request, items are ranked by score descending; equal scores are ranked in their
 *       original array order (earlier first), so the result is deterministic. A NaN score ranks
 *       below every number.
 *   <li>hits(r) = number of positives (label 1) among the first min(k, size of r) ranked items.
 *   <li>{@code hitsPerRequest} = sum of hits(r) / number of requests r with at least one positive.
 *       Requests without a positive cannot score a hit whatever the model does, so they are left
 *       out of both sums; they are still counted in {@code requests}.
 * </ul>
 *
 * <p>So with k = 3, a value of 0.8 means "on average 0.8 saves in the top 3 per request that had a
 * save"; it can exceed 1 when requests have several positives. Sample weights are deliberately not
 * used: the contract counts saves.
 */
public final class HitAtK {

    /**
     * The outcome of {@link #compute}.
     *
     * @param hitsPerRequest {@code hits / requestsWithPositive}, NaN when no request has a positive
     * @param requests the number of distinct request ids
     * @param requestsWithPositive the number of requests with at least one positive
     * @param hits the total number of positives ranked in the top k of their request
     */
    public record Result(
            double hitsPerRequest, long requests, long requestsWithPositive, long hits) {}

    private HitAtK() {}

    /**
     * HIT@k of the first {@code n} samples.
     *
     * @param requestIds the request of each sample; not null
     * @param scores the model's scores (e.g. predicted save probabilities)
     * @param labels labels, each exactly 0 or 1
     * @param n how many leading samples to use
     * @param k how many top-ranked items per request count, at least 1
     * @return the result; see the class documentation for the definition
     * @throws IllegalArgumentException if k &lt; 1, a label is not 0 or 1, a request id is null or
     *     an array is shorter than n
     */
    public static Result compute(
            String[] requestIds, float[] scores, float[] labels, int n, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1: " + k);
        }
        Inputs.checkCount(n, "scores", scores);
        Inputs.checkCount(n, "labels", labels);
        if (requestIds == null || requestIds.length < n) {
            throw new IllegalArgumentException("requestIds must hold at least n = " + n + " ids");
        }

        // Number the requests densely, in order of first appearance.
        Map<String, Integer> requestNumbers = new HashMap<>();
        int[] requestOf = new int[n];
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            String id = requestIds[i];
            if (id == null) {
                throw new IllegalArgumentException("request id at " + i + " is null");
            }
            Inputs.binaryLabel(labels, i);
            Integer number = requestNumbers.putIfAbsent(id, requestNumbers.size());
            requestOf[i] = number == null ? requestNumbers.size() - 1 : number;
            keys[i] = SortKeys.descending(scores[i], i);
        }
        int requests = requestNumbers.size();

        // One global sort ranks every request at once: walking the sorted keys, each request's
        // items come up in its own ranking order, so its first k items are its top k.
        Arrays.sort(keys);
        int[] ranked = new int[requests];
        int[] hits = new int[requests];
        boolean[] hasPositive = new boolean[requests];
        for (long key : keys) {
            int i = SortKeys.index(key);
            int r = requestOf[i];
            boolean positive = labels[i] == 1f;
            hasPositive[r] |= positive;
            if (ranked[r]++ < k && positive) {
                hits[r]++;
            }
        }

        long requestsWithPositive = 0;
        long totalHits = 0;
        for (int r = 0; r < requests; r++) {
            if (hasPositive[r]) {
                requestsWithPositive++;
                totalHits += hits[r];
            }
        }
        double perRequest =
                requestsWithPositive == 0 ? Double.NaN : (double) totalHits / requestsWithPositive;
        return new Result(perRequest, requests, requestsWithPositive, totalHits);
    }
}
