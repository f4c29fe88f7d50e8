package dev.freshet.cli.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.features.deadletter.DeadLetter;
import dev.freshet.features.sample.SampleCodec;
import dev.freshet.features.sample.SampleJson;
import dev.freshet.flink.kafka.Outbound;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One JSON line per Kafka record, whatever the topic:
 *
 * <ul>
 *   <li>a dead letter (it carries {@value DeadLetter#HEADER_REASON}): its metadata and the original
 *       bytes, as text when they are UTF-8 and always as base64;
 *   <li>a sample (Avro single-object encoding): {@link SampleJson}, the documented view;
 *   <li>a late engagement: its JSON plus the reason header as {@code reason};
 *   <li>any other JSON value (impressions, engagements): as is.
 * </ul>
 *
 * Anything that does not decode becomes {@code {"error", "partition", "offset"}}: one bad record
 * must not hide the ones after it.
 */
final class RecordFormatter {

    /** The first byte of Avro single-object encoding (C3 01). */
    private static final byte AVRO_MAGIC_0 = (byte) 0xC3;

    private static final byte AVRO_MAGIC_1 = (byte) 0x01;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SampleCodec codec = new SampleCodec();

    String format(ConsumerRecord<byte[], byte[]> r) {
        try {
            return decode(r).toString();
        } catch (IOException | RuntimeException e) {
            ObjectNode o = JSON.createObjectNode();
            o.put("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            o.put("partition", r.partition());
            o.put("offset", r.offset());
            return o.toString();
        }
    }

    private JsonNode decode(ConsumerRecord<byte[], byte[]> r) throws IOException {
        Headers headers = r.headers();
        if (headers.lastHeader(DeadLetter.HEADER_REASON) != null) {
            return deadLetter(r);
        }
        byte[] value = r.value();
        if (value == null) {
            throw new IOException("record has no value (a tombstone)");
        }
        if (value.length >= 2 && value[0] == AVRO_MAGIC_0 && value[1] == AVRO_MAGIC_1) {
            return SampleJson.toJson(codec.decode(value));
        }
        JsonNode json;
        try {
            json = JSON.readTree(value);
        } catch (IOException e) {
            throw new IOException(
                    "neither a Freshet sample nor JSON: " + firstLine(e.getMessage()));
        }
        String lateReason = header(headers, Outbound.LATE_REASON_HEADER);
        if (lateReason != null && json instanceof ObjectNode o) {
            o.put("reason", lateReason);
        }
        return json;
    }

    private static ObjectNode deadLetter(ConsumerRecord<byte[], byte[]> r) {
        Headers h = r.headers();
        ObjectNode o = JSON.createObjectNode();
        o.put("reason", header(h, DeadLetter.HEADER_REASON));
        o.put("detail", header(h, DeadLetter.HEADER_DETAIL));
        o.put("source_topic", header(h, DeadLetter.HEADER_TOPIC));
        putNumber(o, "source_partition", header(h, DeadLetter.HEADER_PARTITION));
        putNumber(o, "source_offset", header(h, DeadLetter.HEADER_OFFSET));
        o.put("truncated", "true".equals(header(h, DeadLetter.HEADER_TRUNCATED)));
        byte[] value = r.value();
        o.put("value", value == null ? null : utf8OrNull(value));
        o.put("value_base64", value == null ? null : Base64.getEncoder().encodeToString(value));
        o.put("key", r.key() == null ? null : utf8OrNull(r.key()));
        return o;
    }

    private static void putNumber(ObjectNode o, String field, String text) {
        if (text == null) {
            o.putNull(field);
            return;
        }
        try {
            o.put(field, Long.parseLong(text));
        } catch (NumberFormatException e) {
            o.put(field, text);
        }
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null
                ? null
                : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The text, when the bytes are valid UTF-8; null otherwise (base64 has them). */
    private static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
