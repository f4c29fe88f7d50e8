package dev.freshet.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each user's behaviour sequence: the items the user clicked, as of a given time, newest click
 * first, at most {@link #LENGTH}. A click counts from the moment it happens (its impression time
 * plus its delay), so a request never sees a click that is still in the future. Draws no random
 * numbers: the traffic of a seed is unchanged by it apart from the field it fills.
 */
final class RecentClicks {

    static final int LENGTH = 20;

    /** Enough to answer any request time at or after the newest one asked. */
    private static final int KEPT = 2 * LENGTH;

    private record Click(long atMillis, String itemId) {}

    private final Map<String, List<Click>> byUser = new HashMap<>();

    /** The items {@code userId} clicked at or before {@code timeMillis}, newest first. */
    List<String> asOf(String userId, long timeMillis) {
        List<Click> clicks = byUser.get(userId);
        List<String> out = new ArrayList<>(LENGTH);
        if (clicks == null) {
            return out;
        }
        for (int i = clicks.size() - 1; i >= 0 && out.size() < LENGTH; i--) {
            if (clicks.get(i).atMillis() <= timeMillis) {
                out.add(clicks.get(i).itemId());
            }
        }
        return out;
    }

    /** Records a click at {@code atMillis}, keeping the list ordered by click time. */
    void add(String userId, String itemId, long atMillis) {
        List<Click> clicks = byUser.computeIfAbsent(userId, u -> new ArrayList<>());
        int at = clicks.size();
        while (at > 0 && clicks.get(at - 1).atMillis() > atMillis) {
            at--;
        }
        clicks.add(at, new Click(atMillis, itemId));
        if (clicks.size() > KEPT) {
            clicks.remove(0);
        }
    }
}
