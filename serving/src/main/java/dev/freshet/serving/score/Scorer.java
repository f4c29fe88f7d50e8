package dev.freshet.serving.score;

import dev.freshet.features.event.EventLimits;
import dev.freshet.features.event.EventParser;
import dev.freshet.features.event.Impression;
import dev.freshet.features.event.ParseResult;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.transform.ModelInput;
import dev.freshet.serving.model.LoadedModel;
import dev.freshet.serving.model.ModelSlot;
import dev.freshet.trainer.data.BatchAssembler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scores raw impression JSON with the served version, the way the pipeline and the trainer see the
 * same impression: the features module's {@link EventParser} reads it, the version's own feature
 * spec transforms it ({@code FeatureTransform}, as the pipeline's {@code ApplySpecFunction} does),
 * the trainer's {@link BatchAssembler} lays it out, and the model predicts. Every impression of a
 * request is scored by the same version in one batch, even while a swap happens.
 *
 * <p>Thread-safe.
 */
public final class Scorer {

    /** The leading field path of a parser or transform message, e.g. {@code dense.price}. */
    private static final Pattern FIELD =
            Pattern.compile("^([a-z_][A-Za-z0-9_.\\-]*)(\\[\\d+])?\\s");

    private final ModelSlot slot;
    private final EventParser parser;
    private final int maxImpressions;

    public Scorer(ModelSlot slot, EventLimits limits, int maxImpressions) {
        this.slot = slot;
        this.parser = new EventParser(limits);
        this.maxImpressions = maxImpressions;
    }

    public Scores score(byte[] body) throws InvalidInputException, NoModelException {
        List<byte[]> records = ImpressionBodies.split(body, maxImpressions);
        List<Impression> impressions = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            ParseResult<Impression> parsed = parser.parseImpression(records.get(i));
            if (parsed instanceof ParseResult.Rejected<Impression> r) {
                throw invalid(r.reason().wireName(), r.detail(), i);
            }
            impressions.add(((ParseResult.Ok<Impression>) parsed).value());
        }
        try (ModelSlot.Lease lease = slot.acquire()) {
            if (lease == null) {
                throw new NoModelException();
            }
            return score(lease.model(), impressions);
        }
    }

    private static Scores score(LoadedModel model, List<Impression> impressions)
            throws InvalidInputException {
        List<Sample> samples = new ArrayList<>(impressions.size());
        for (int i = 0; i < impressions.size(); i++) {
            samples.add(sample(model, impressions.get(i), i));
        }
        BatchAssembler.Assembled assembled = model.assembler().assemble(samples);
        if (!assembled.rejected().isEmpty()) {
            BatchAssembler.Rejected r = assembled.rejected().get(0);
            throw invalid("unreadable_sample", r.reason(), samples.indexOf(r.sample()));
        }
        float[] p = model.predict(assembled.batch());
        List<String> tasks = model.tasks();
        int k = tasks.size();
        List<Scores.Scored> out = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            Map<String, Double> scores = new LinkedHashMap<>();
            for (int t = 0; t < k; t++) {
                scores.put(tasks.get(t), (double) p[i * k + t]);
            }
            out.add(new Scores.Scored(samples.get(i).impressionId(), scores));
        }
        return new Scores(model.version(), out);
    }

    /**
     * The processed sample the pipeline would build from this impression: {@code
     * ApplySpecFunction}'s fields, no labels, weight 1. Dense values go through the transform as
     * doubles; the spec rounds them to the float precision samples carry before bucketing ({@code
     * DenseSpec.atSamplePrecision}), so the bucket is the one the pipeline computes from the float
     * it stored.
     */
    private static Sample sample(LoadedModel model, Impression imp, int index)
            throws InvalidInputException {
        ParseResult<ModelInput> result = model.transform().apply(imp.features());
        if (result instanceof ParseResult.Rejected<ModelInput> r) {
            throw invalid(r.reason().wireName(), r.detail(), index);
        }
        ModelInput in = ((ParseResult.Ok<ModelInput>) result).value();
        return new Sample(
                imp.impressionId(),
                imp.requestId(),
                imp.userId(),
                imp.itemId(),
                imp.position(),
                imp.eventTime(),
                imp.eventTime(),
                model.spec().version(),
                Map.of(),
                1f,
                in.dense(),
                in.denseMissing(),
                in.sparse(),
                Map.of(),
                in.embeddings());
    }

    private static InvalidInputException invalid(String reason, String detail, int index) {
        Matcher m = FIELD.matcher(detail);
        String field = null;
        if (m.find()) {
            field = m.group(1);
            if (field.equals("record") || field.equals("expected") || field.equals("not")) {
                field = null;
            }
        }
        return new InvalidInputException(reason, field, index, detail);
    }
}
