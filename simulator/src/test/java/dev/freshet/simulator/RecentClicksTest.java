package dev.freshet.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A user's behaviour sequence: clicks that have happened by then, newest first, at most 20. */
class RecentClicksTest {

    @Test
    void listsTheClicksThatHappenedByThenNewestFirst() {
        RecentClicks recent = new RecentClicks();
        recent.add("u1", "i1", 1_000);
        recent.add("u1", "i2", 5_000);
        recent.add("u1", "i3", 3_000); // recorded later, clicked earlier (a longer delay)
        recent.add("u2", "i9", 2_000);

        assertThat(recent.asOf("u1", 999)).isEmpty();
        assertThat(recent.asOf("u1", 3_000)).containsExactly("i3", "i1");
        assertThat(recent.asOf("u1", 10_000)).containsExactly("i2", "i3", "i1");
        assertThat(recent.asOf("u2", 10_000)).containsExactly("i9");
        assertThat(recent.asOf("u3", 10_000)).isEmpty();
    }

    @Test
    void keepsTheNewestTwenty() {
        RecentClicks recent = new RecentClicks();
        for (int i = 0; i < 50; i++) {
            recent.add("u", "i" + i, i);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 49; i >= 30; i--) {
            expected.add("i" + i);
        }
        assertThat(recent.asOf("u", 100)).containsExactlyElementsOf(expected);
    }
}
