package dev.freshet.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import dev.freshet.trainer.synthetic.SyntheticSamples;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchAssemblerTest {

    static final SyntheticSamples.Data DATA =
            SyntheticSamples.generate(10, 1, SyntheticSamples.Shape.small());
    static final ModelLayout LAYOUT = ModelLayout.of(DATA.spec());
    static final BatchAssembler ASSEMBLER =
            new BatchAssembler(LAYOUT, List.of("click", "save", "absent_task"));

    @Test
    void layoutFollowsTheSpecWithAnAbsentRowPerField() {
        assertThat(LAYOUT.dense()).containsExactly("price", "quality", "freshness", "noise");
        assertThat(LAYOUT.sparse().get(0).name()).isEqualTo("user");
        assertThat(LAYOUT.sparse().get(0).rows()).isEqualTo(1025);
        assertThat(LAYOUT.sparse().get(0).absentRow()).isEqualTo(1024);
        assertThat(LAYOUT.embeddingWidth()).isEqualTo(40);
    }

    @Test
    void denseMissingSparseBagsEmbeddingsAndLabelsLandInTheirColumns() {
        Sample base = DATA.samples().get(0);
        Sample s =
                copy(
                        base,
                        Map.of("price", 0.3f, "noise", 0.9f),
                        Map.of("user", new long[] {5}, "tags", new long[] {7, 8, 9}),
                        Map.of("click", 1));
        Batch b = ASSEMBLER.assemble(List.of(s)).batch();
        assertThat(b.size()).isEqualTo(1);
        assertThat(b.dense()).containsExactly(0.3f, 0f, 0f, 0.9f);
        assertThat(b.missing()).containsExactly(0f, 1f, 1f, 0f);
        // user: one id; item and category absent -> their absent rows; tags: a bag of three
        assertThat(b.bagIds()[0]).containsExactly(5);
        assertThat(b.bagIds()[1]).containsExactly(1024);
        assertThat(b.bagIds()[2]).containsExactly(64);
        assertThat(b.bagIds()[3]).containsExactly(7, 8, 9);
        assertThat(b.bagOffsets()[3]).containsExactly(0, 3);
        assertThat(b.labels()).containsExactly(1f, 0f, 0f);
        // save and absent_task have no label: masked out, not read as negatives
        assertThat(b.labelMask()).containsExactly(1f, 0f, 0f);
        assertThat(b.embeddings()).hasSize(40).containsOnly(0f);
    }

    @Test
    void unreadableSamplesAreSetAsideWithReasonsAndTheRestKept() {
        Sample good = DATA.samples().get(1);
        List<Sample> batch = new ArrayList<>();
        batch.add(good);
        batch.add(good.withSpecVersion("other-spec"));
        batch.add(copy(good, good.dense(), Map.of("user", new long[] {1025}), good.labels()));
        batch.add(copy(good, good.dense(), Map.of("user", new long[] {-1}), good.labels()));
        batch.add(copy(good, Map.of("price", Float.NaN), good.sparse(), good.labels()));
        batch.add(copy(good, good.dense(), good.sparse(), Map.of("click", 2)));
        batch.add(withEmbedding(good, new float[3]));
        BatchAssembler.Assembled assembled = ASSEMBLER.assemble(batch);
        assertThat(assembled.batch().size()).isEqualTo(1);
        assertThat(assembled.batch().requestIds()).containsExactly(good.requestId());
        assertThat(assembled.rejected())
                .extracting(BatchAssembler.Rejected::reason)
                .satisfiesExactly(
                        r -> assertThat(r).contains("spec version other-spec"),
                        r -> assertThat(r).contains("user id 1025 outside 0..1023"),
                        r -> assertThat(r).contains("user id -1"),
                        r -> assertThat(r).contains("dense price is not finite"),
                        r -> assertThat(r).contains("label click=2"),
                        r -> assertThat(r).contains("item_vector has 3 values, not 40"));
    }

    @Test
    void samplesInThePipelinesEncodingDecodeAndBadBytesAreReported() {
        SampleCodec codec = new SampleCodec();
        List<byte[]> records = new ArrayList<>();
        for (Sample s : DATA.samples()) {
            records.add(codec.encode(s));
        }
        records.add(3, new byte[] {1, 2, 3});
        SampleDecoder.Decoded decoded = new SampleDecoder().decode(records);
        assertThat(decoded.samples()).containsExactlyElementsOf(DATA.samples());
        assertThat(decoded.undecodable())
                .singleElement()
                .satisfies(
                        u -> {
                            assertThat(u.index()).isEqualTo(3);
                            assertThat(u.reason()).contains("not a Freshet sample");
                        });
        Batch b = ASSEMBLER.assemble(decoded.samples()).batch();
        assertThat(b.size()).isEqualTo(DATA.samples().size());
    }

    static Sample copy(
            Sample s,
            Map<String, Float> dense,
            Map<String, long[]> sparse,
            Map<String, Integer> labels) {
        List<String> missing = new ArrayList<>();
        for (String name : LAYOUT.dense()) {
            if (!dense.containsKey(name)) {
                missing.add(name);
            }
        }
        return rebuilt(s, s.specVersion(), labels, dense, missing, sparse, Map.of());
    }

    static Sample withEmbedding(Sample s, float[] vector) {
        return rebuilt(
                s,
                s.specVersion(),
                s.labels(),
                s.dense(),
                s.denseMissing(),
                s.sparse(),
                Map.of("item_vector", vector));
    }

    private static Sample rebuilt(
            Sample s,
            String spec,
            Map<String, Integer> labels,
            Map<String, Float> dense,
            List<String> missing,
            Map<String, long[]> sparse,
            Map<String, float[]> embeddings) {
        return new Sample(
                s.impressionId(),
                s.requestId(),
                s.userId(),
                s.itemId(),
                s.position(),
                s.eventTime(),
                s.emitTime(),
                spec,
                labels,
                s.weight(),
                dense,
                missing,
                sparse,
                s.sparseRaw(),
                embeddings);
    }
}
