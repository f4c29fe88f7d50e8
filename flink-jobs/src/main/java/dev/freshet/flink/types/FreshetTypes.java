package dev.freshet.flink.types;

import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.event.Engagement;
import dev.freshet.features.event.Impression;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.spec.FeatureSpec;
import dev.freshet.flink.features.FitPartial;
import dev.freshet.flink.join.LateEngagement;
import dev.freshet.flink.kafka.OutboundRecord;
import dev.freshet.flink.kafka.Parsed;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Type information for every Freshet type in the pipeline. Flink's reflective analysis would fall
 * back to Kryo for their maps and lists (slow, and fragile across versions); the pipeline disables
 * generic types, so every stream and state declares one of these.
 */
public final class FreshetTypes {

    private FreshetTypes() {}

    public static final TypeInformation<Impression> IMPRESSION =
            new CodecTypeInfo<>(Impression.class, new Codecs.ImpressionCodec());
    public static final TypeInformation<Engagement> ENGAGEMENT =
            new CodecTypeInfo<>(Engagement.class, new Codecs.EngagementCodec());
    public static final TypeInformation<LateEngagement> LATE_ENGAGEMENT =
            new CodecTypeInfo<>(LateEngagement.class, new Codecs.LateEngagementCodec());
    public static final TypeInformation<DeadLetter> DEAD_LETTER =
            new CodecTypeInfo<>(DeadLetter.class, new Codecs.DeadLetterCodec());
    public static final TypeInformation<Sample> SAMPLE =
            new CodecTypeInfo<>(Sample.class, new Codecs.SampleCodec());
    public static final TypeInformation<OutboundRecord> OUTBOUND_RECORD =
            new CodecTypeInfo<>(OutboundRecord.class, new Codecs.OutboundRecordCodec());
    public static final TypeInformation<FitPartial> FIT_PARTIAL =
            new CodecTypeInfo<>(FitPartial.class, new Codecs.FitPartialCodec());
    public static final TypeInformation<FeatureSpec> FEATURE_SPEC =
            new CodecTypeInfo<>(FeatureSpec.class, new Codecs.FeatureSpecCodec());
    public static final TypeInformation<Parsed<Impression>> PARSED_IMPRESSION =
            parsed(new Codecs.ParsedImpressionCodec());
    public static final TypeInformation<Parsed<Engagement>> PARSED_ENGAGEMENT =
            parsed(new Codecs.ParsedEngagementCodec());

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> TypeInformation<Parsed<T>> parsed(BinaryCodec<Parsed<T>> codec) {
        return new CodecTypeInfo<>((Class<Parsed<T>>) (Class) Parsed.class, codec);
    }
}
