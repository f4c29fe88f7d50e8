package dev.freshet.features.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.features.event.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DeadLetterTest {

    private static final byte[] KEY = "r81f2:3".getBytes(StandardCharsets.UTF_8);

    @Test
    void truncatesAValueOverTheLimitAndSaysSo() {
        byte[] value = new byte[100];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }

        DeadLetter letter =
                DeadLetter.of(
                        RejectReason.OVERSIZED, "too big", "impressions", 2, 41L, KEY, value, 10);

        assertThat(letter.truncated()).isTrue();
        assertThat(letter.value()).containsExactly(Arrays.copyOf(value, 10));
        assertThat(letter.key()).containsExactly(KEY);
    }

    @Test
    void keepsAValueUnderTheLimitByteForByte() {
        byte[] value = {'{', 'o', 'o', 'p', 's', (byte) 0xff, 0};

        DeadLetter letter =
                DeadLetter.of(
                        RejectReason.UNPARSEABLE,
                        "not JSON",
                        "impressions",
                        0,
                        7L,
                        KEY,
                        value,
                        1024);

        assertThat(letter.truncated()).isFalse();
        assertThat(letter.value()).containsExactly(value);
    }

    @Test
    void keepsAValueExactlyAtTheLimit() {
        byte[] value = "0123456789".getBytes(StandardCharsets.UTF_8);

        DeadLetter letter =
                DeadLetter.of(
                        RejectReason.WRONG_TYPE,
                        "position must be an integer",
                        "impressions",
                        0,
                        7L,
                        KEY,
                        value,
                        value.length);

        assertThat(letter.truncated()).isFalse();
        assertThat(letter.value()).containsExactly(value);
    }

    @Test
    void keepsAMissingValueAndKeyAsNull() {
        DeadLetter letter =
                DeadLetter.of(
                        RejectReason.UNPARSEABLE,
                        "record has no value",
                        "engagements",
                        1,
                        3L,
                        null,
                        null,
                        10);

        assertThat(letter.value()).isNull();
        assertThat(letter.key()).isNull();
        assertThat(letter.truncated()).isFalse();
    }

    @Test
    void carriesTheSourceCoordinatesAndReason() {
        DeadLetter letter =
                DeadLetter.of(
                        RejectReason.LATE,
                        "impression after allowed lateness",
                        "impressions",
                        5,
                        123_456_789_012L,
                        KEY,
                        new byte[] {1},
                        10);

        assertThat(letter.reason()).isEqualTo(RejectReason.LATE);
        assertThat(letter.detail()).isEqualTo("impression after allowed lateness");
        assertThat(letter.sourceTopic()).isEqualTo("impressions");
        assertThat(letter.sourcePartition()).isEqualTo(5);
        assertThat(letter.sourceOffset()).isEqualTo(123_456_789_012L);
        assertThat(letter.toString()).contains("late", "impressions/5@123456789012");
    }

    @Test
    void comparesKeyAndValueByContent() {
        DeadLetter a =
                DeadLetter.of(
                        RejectReason.LATE,
                        "d",
                        "impressions",
                        0,
                        1L,
                        "k".getBytes(StandardCharsets.UTF_8),
                        "v".getBytes(StandardCharsets.UTF_8),
                        10);
        DeadLetter b =
                DeadLetter.of(
                        RejectReason.LATE,
                        "d",
                        "impressions",
                        0,
                        1L,
                        "k".getBytes(StandardCharsets.UTF_8),
                        "v".getBytes(StandardCharsets.UTF_8),
                        10);
        DeadLetter otherValue =
                DeadLetter.of(
                        RejectReason.LATE,
                        "d",
                        "impressions",
                        0,
                        1L,
                        "k".getBytes(StandardCharsets.UTF_8),
                        "w".getBytes(StandardCharsets.UTF_8),
                        10);

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(otherValue);
    }

    @Test
    void requiresAReasonAndASourceTopic() {
        assertThatThrownBy(() -> DeadLetter.of(null, "d", "impressions", 0, 0L, null, null, 10))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("reason");
        assertThatThrownBy(() -> DeadLetter.of(RejectReason.LATE, "d", null, 0, 0L, null, null, 10))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("sourceTopic");
    }

    @ParameterizedTest
    @CsvSource({
        "UNPARSEABLE, unparseable",
        "MISSING_FIELD, missing_field",
        "WRONG_TYPE, wrong_type",
        "NON_FINITE, non_finite",
        "ABSURD_TIMESTAMP, absurd_timestamp",
        "OVERSIZED, oversized",
        "LATE, late"
    })
    void reasonsHaveLowerCaseWireNames(RejectReason reason, String wireName) {
        assertThat(reason.wireName()).isEqualTo(wireName);
        assertThat(RejectReason.fromWireName(wireName)).isEqualTo(reason);
    }

    @ParameterizedTest
    @EnumSource(RejectReason.class)
    void everyReasonRoundTripsThroughItsWireName(RejectReason reason) {
        assertThat(RejectReason.fromWireName(reason.wireName())).isSameAs(reason);
    }

    @Test
    void anUnknownWireNameIsAnError() {
        assertThatThrownBy(() -> RejectReason.fromWireName("too_slow"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
