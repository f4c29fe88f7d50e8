package dev.freshet.flink.types;

import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.event.Engagement;
import dev.freshet.features.event.Impression;
import dev.freshet.features.event.RawFeatures;
import dev.freshet.features.event.RejectReason;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.spec.FeatureSpec;
import dev.freshet.features.spec.FeatureSpecJson;
import dev.freshet.flink.features.FitPartial;
import dev.freshet.flink.join.LateEngagement;
import dev.freshet.flink.kafka.OutboundRecord;
import dev.freshet.flink.kafka.Parsed;
import java.io.IOException;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** The byte layouts of the types that travel between the pipeline's operators and sit in state. */
public final class Codecs {

    private Codecs() {}

    public static final class ImpressionCodec implements BinaryCodec<Impression> {
        private static final long serialVersionUID = 1L;

        @Override
        public void write(Impression v, DataOutputView out) throws IOException {
            Wire.string(v.impressionId(), out);
            Wire.string(v.requestId(), out);
            Wire.string(v.userId(), out);
            Wire.string(v.itemId(), out);
            out.writeLong(v.eventTime());
            Wire.nullableInt(v.position(), out);
            RawFeatures f = v.features();
            Wire.map(
                    f.dense(),
                    (d, o) -> {
                        o.writeBoolean(d != null);
                        if (d != null) {
                            o.writeDouble(d);
                        }
                    },
                    out);
            Wire.map(f.sparse(), Wire::strings, out);
            Wire.map(f.embeddings(), Wire::floats, out);
        }

        @Override
        public Impression read(DataInputView in) throws IOException {
            String id = Wire.string(in);
            String request = Wire.string(in);
            String user = Wire.string(in);
            String item = Wire.string(in);
            long time = in.readLong();
            Integer position = Wire.nullableInt(in);
            Map<String, Double> dense = Wire.map(i -> i.readBoolean() ? i.readDouble() : null, in);
            Map<String, java.util.List<String>> sparse = Wire.map(Wire::strings, in);
            Map<String, float[]> embeddings = Wire.map(Wire::floats, in);
            return new Impression(
                    id,
                    request,
                    user,
                    item,
                    time,
                    position,
                    new RawFeatures(dense, sparse, embeddings));
        }
    }

    public static final class EngagementCodec implements BinaryCodec<Engagement> {
        private static final long serialVersionUID = 1L;

        @Override
        public void write(Engagement v, DataOutputView out) throws IOException {
            Wire.string(v.engagementId(), out);
            Wire.string(v.impressionId(), out);
            Wire.string(v.type(), out);
            out.writeLong(v.eventTime());
        }

        @Override
        public Engagement read(DataInputView in) throws IOException {
            return new Engagement(Wire.string(in), Wire.string(in), Wire.string(in), in.readLong());
        }
    }

    public static final class LateEngagementCodec implements BinaryCodec<LateEngagement> {
        private static final long serialVersionUID = 1L;
        private final EngagementCodec engagement = new EngagementCodec();

        @Override
        public void write(LateEngagement v, DataOutputView out) throws IOException {
            engagement.write(v.engagement(), out);
            Wire.string(v.reason(), out);
        }

        @Override
        public LateEngagement read(DataInputView in) throws IOException {
            return new LateEngagement(engagement.read(in), Wire.string(in));
        }
    }

    public static final class DeadLetterCodec implements BinaryCodec<DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        public void write(DeadLetter v, DataOutputView out) throws IOException {
            out.writeByte(v.reason().ordinal());
            Wire.string(v.detail(), out);
            Wire.string(v.sourceTopic(), out);
            out.writeInt(v.sourcePartition());
            out.writeLong(v.sourceOffset());
            Wire.bytes(v.key(), out);
            Wire.bytes(v.value(), out);
            out.writeBoolean(v.truncated());
        }

        @Override
        public DeadLetter read(DataInputView in) throws IOException {
            return new DeadLetter(
                    RejectReason.values()[in.readByte()],
                    Wire.string(in),
                    Wire.string(in),
                    in.readInt(),
                    in.readLong(),
                    Wire.bytes(in),
                    Wire.bytes(in),
                    in.readBoolean());
        }
    }

    public static final class SampleCodec implements BinaryCodec<Sample> {
        private static final long serialVersionUID = 1L;

        @Override
        public void write(Sample v, DataOutputView out) throws IOException {
            Wire.string(v.impressionId(), out);
            Wire.string(v.requestId(), out);
            Wire.string(v.userId(), out);
            Wire.string(v.itemId(), out);
            Wire.nullableInt(v.position(), out);
            out.writeLong(v.eventTime());
            out.writeLong(v.emitTime());
            Wire.string(v.specVersion(), out);
            Wire.map(v.labels(), (l, o) -> o.writeByte(l), out);
            out.writeFloat(v.weight());
            Wire.map(v.dense(), (d, o) -> o.writeFloat(d), out);
            Wire.strings(v.denseMissing(), out);
            Wire.map(v.sparse(), Wire::longs, out);
            Wire.map(v.sparseRaw(), Wire::strings, out);
            Wire.map(v.embeddings(), Wire::floats, out);
        }

        @Override
        public Sample read(DataInputView in) throws IOException {
            return new Sample(
                    Wire.string(in),
                    Wire.string(in),
                    Wire.string(in),
                    Wire.string(in),
                    Wire.nullableInt(in),
                    in.readLong(),
                    in.readLong(),
                    Wire.string(in),
                    Wire.map(i -> (int) i.readByte(), in),
                    in.readFloat(),
                    Wire.map(DataInputView::readFloat, in),
                    Wire.strings(in),
                    Wire.map(Wire::longs, in),
                    Wire.map(Wire::strings, in),
                    Wire.map(Wire::floats, in));
        }
    }

    public static final class OutboundRecordCodec implements BinaryCodec<OutboundRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public void write(OutboundRecord v, DataOutputView out) throws IOException {
            Wire.string(v.topic(), out);
            Wire.bytes(v.key(), out);
            Wire.bytes(v.value(), out);
            out.writeLong(v.timestamp());
            Wire.map(v.headers(), Wire::string, out);
        }

        @Override
        public OutboundRecord read(DataInputView in) throws IOException {
            return new OutboundRecord(
                    Wire.string(in),
                    Wire.bytes(in),
                    Wire.bytes(in),
                    in.readLong(),
                    Wire.map(Wire::string, in));
        }
    }

    public static final class FitPartialCodec implements BinaryCodec<FitPartial> {
        private static final long serialVersionUID = 1L;

        @Override
        public void write(FitPartial v, DataOutputView out) throws IOException {
            out.writeInt(v.subtask());
            out.writeLong(v.samples());
            Wire.bytes(v.fitter(), out);
        }

        @Override
        public FitPartial read(DataInputView in) throws IOException {
            return new FitPartial(in.readInt(), in.readLong(), Wire.bytes(in));
        }
    }

    /** Specs travel in their JSON form, which also checks the version on the way in. */
    public static final class FeatureSpecCodec implements BinaryCodec<FeatureSpec> {
        private static final long serialVersionUID = 1L;

        @Override
        public void write(FeatureSpec v, DataOutputView out) throws IOException {
            Wire.bytes(FeatureSpecJson.toBytes(v), out);
        }

        @Override
        public FeatureSpec read(DataInputView in) throws IOException {
            return FeatureSpecJson.fromBytes(Wire.bytes(in));
        }
    }

    /** A parsed Kafka record: the event (by its own codec) or the dead letter, plus its source. */
    abstract static class ParsedCodec<T> implements BinaryCodec<Parsed<T>> {
        private static final long serialVersionUID = 1L;
        private final BinaryCodec<T> event;
        private final DeadLetterCodec deadLetter = new DeadLetterCodec();

        ParsedCodec(BinaryCodec<T> event) {
            this.event = event;
        }

        @Override
        public void write(Parsed<T> v, DataOutputView out) throws IOException {
            out.writeBoolean(v.isValid());
            if (!v.isValid()) {
                deadLetter.write(v.deadLetter(), out);
                return;
            }
            event.write(v.event(), out);
            Wire.string(v.topic(), out);
            out.writeInt(v.partition());
            out.writeLong(v.offset());
            Wire.bytes(v.key(), out);
            Wire.bytes(v.value(), out);
        }

        @Override
        public Parsed<T> read(DataInputView in) throws IOException {
            if (!in.readBoolean()) {
                return Parsed.rejected(deadLetter.read(in));
            }
            return Parsed.valid(
                    event.read(in),
                    Wire.string(in),
                    in.readInt(),
                    in.readLong(),
                    Wire.bytes(in),
                    Wire.bytes(in));
        }
    }

    public static final class ParsedImpressionCodec extends ParsedCodec<Impression> {
        private static final long serialVersionUID = 1L;

        public ParsedImpressionCodec() {
            super(new ImpressionCodec());
        }
    }

    public static final class ParsedEngagementCodec extends ParsedCodec<Engagement> {
        private static final long serialVersionUID = 1L;

        public ParsedEngagementCodec() {
            super(new EngagementCodec());
        }
    }
}
