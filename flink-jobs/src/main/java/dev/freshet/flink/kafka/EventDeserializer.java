package dev.freshet.flink.kafka;

import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.event.Engagement;
import dev.freshet.features.event.EventLimits;
import dev.freshet.features.event.EventParser;
import dev.freshet.features.event.Impression;
import dev.freshet.features.event.ParseResult;
import dev.freshet.flink.types.FreshetTypes;
import java.util.function.BiFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Validates each Kafka record as it is read. Never throws: a record that is not a valid event
 * becomes a {@link DeadLetter} carrying its original bytes and source coordinates, so one bad
 * record can never fail (and restart-loop) the job.
 */
public final class EventDeserializer<T> implements KafkaRecordDeserializationSchema<Parsed<T>> {

    private static final long serialVersionUID = 1L;

    private final EventLimits limits;
    private final boolean impressions;
    private transient EventParser parser;

    private EventDeserializer(EventLimits limits, boolean impressions) {
        this.limits = limits;
        this.impressions = impressions;
    }

    public static EventDeserializer<Impression> impressions(EventLimits limits) {
        return new EventDeserializer<>(limits, true);
    }

    public static EventDeserializer<Engagement> engagements(EventLimits limits) {
        return new EventDeserializer<>(limits, false);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Parsed<T>> out) {
        if (parser == null) {
            parser = new EventParser(limits);
        }
        BiFunction<EventParser, byte[], ParseResult<?>> parse =
                impressions ? EventParser::parseImpression : EventParser::parseEngagement;
        ParseResult<?> result = parse.apply(parser, record.value());
        if (result instanceof ParseResult.Ok<?> ok) {
            out.collect(
                    Parsed.valid(
                            (T) ok.value(),
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            record.key(),
                            record.value()));
        } else {
            ParseResult.Rejected<?> r = (ParseResult.Rejected<?>) result;
            out.collect(
                    Parsed.rejected(
                            DeadLetter.of(
                                    r.reason(),
                                    r.detail(),
                                    record.topic(),
                                    record.partition(),
                                    record.offset(),
                                    record.key(),
                                    record.value(),
                                    limits.maxRecordBytes())));
        }
    }

    @Override
    public TypeInformation<Parsed<T>> getProducedType() {
        return impressions
                ? cast(FreshetTypes.PARSED_IMPRESSION)
                : cast(FreshetTypes.PARSED_ENGAGEMENT);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <X> TypeInformation<X> cast(TypeInformation t) {
        return t;
    }
}
