package dev.freshet.serving.score;

import java.util.List;
import java.util.Map;

/**
 * The scores of one request.
 *
 * @param version the model version that scored every impression of the request
 * @param impressions per impression, in request order
 */
public record Scores(long version, List<Scored> impressions) {

    /** One impression's probability per task, in the model's task order. */
    public record Scored(String impressionId, Map<String, Double> scores) {}
}
