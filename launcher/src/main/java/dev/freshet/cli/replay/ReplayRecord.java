package dev.freshet.cli.replay;

import java.nio.charset.StandardCharsets;

/**
 * One record to write.
 *
 * @param topic the destination topic
 * @param key the key bytes, or null for none
 * @param value the value bytes
 * @param raw whether this is an input line passed through unparsed (malformed input)
 */
public record ReplayRecord(String topic, byte[] key, byte[] value, boolean raw) {

    public String keyString() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    public String valueString() {
        return new String(value, StandardCharsets.UTF_8);
    }
}
