package dev.freshet.cli.replay;

import java.nio.charset.StandardCharsets;

/**
 * One generated event, in the JSON of the input topics.
 *
 * @param topic impressions or engagements
 * @param impressionId the key
 * @param eventTime epoch milliseconds, also inside {@code value}
 * @param value the event JSON
 */
public record ReplayEvent(String topic, String impressionId, long eventTime, byte[] value) {

    public ReplayRecord toRecord() {
        return new ReplayRecord(topic, impressionId.getBytes(StandardCharsets.UTF_8), value, false);
    }
}
