package dev.freshet.serving.score;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a request body into the raw bytes of its impressions: the body itself when it is one JSON
 * object, or each element's exact bytes when it is an array. The elements are not re-serialized, so
 * the event parser reads each impression exactly as the client wrote it (as the pipeline reads it
 * from Kafka).
 */
final class ImpressionBodies {

    private static final JsonFactory FACTORY =
            JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private ImpressionBodies() {}

    static List<byte[]> split(byte[] body, int maxImpressions) throws InvalidInputException {
        int first = 0;
        while (first < body.length && Character.isWhitespace(body[first])) {
            first++;
        }
        if (first == body.length || body[first] != '[') {
            return List.of(body);
        }
        List<byte[]> out = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(body)) {
            p.nextToken();
            while (true) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    throw unparseable("the array is not closed");
                }
                if (t == JsonToken.END_ARRAY) {
                    break;
                }
                if (out.size() == maxImpressions) {
                    throw new InvalidInputException(
                            "oversized",
                            null,
                            maxImpressions,
                            "a request holds at most " + maxImpressions + " impressions");
                }
                int start = (int) p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                int end = (int) p.currentLocation().getByteOffset();
                out.add(Arrays.copyOfRange(body, start, end));
            }
            if (p.nextToken() != null) {
                throw unparseable("trailing content after the array");
            }
        } catch (IOException e) {
            throw unparseable("not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (out.isEmpty()) {
            throw new InvalidInputException("missing_field", null, -1, "the array is empty");
        }
        return out;
    }

    private static InvalidInputException unparseable(String message) {
        return new InvalidInputException("unparseable", null, -1, message);
    }
}
