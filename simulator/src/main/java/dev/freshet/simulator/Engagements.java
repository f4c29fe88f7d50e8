package dev.freshet.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How a user responds to one impression: which engagements happen and how long after the impression
 * each arrives.
 *
 * <ul>
 *   <li>click: {@code sigmoid(CLICK_BASE + 1.2·affinity + quality - 0.6·ln(position) - 0.1·ln(1 +
 *       distance_km))}
 *   <li>save, given a click: {@code sigmoid(-1.6 + 0.6·affinity + quality)}
 *   <li>pay, given a click: {@code sigmoid(-4.0 + 0.6·affinity - 0.6·(ln price - category mean ln
 *       price) + 1.2·saved)}
 *   <li>hide, only without a click: {@code sigmoid(-4.0 - 0.9·affinity)}
 * </ul>
 *
 * <p>Delays are log-normal per type (medians: click 4 s, hide 6 s, save 30 s after the click, pay
 * 10 min after the click), and 2% of them are stretched 7x to 400x, so some arrive after any
 * attribution window; all are capped at 6 h and multiplied by the delay scale.
 */
final class Engagements {

    static final double CLICK_BASE = -2.6;
    static final List<String> TYPES = List.of("click", "save", "hide", "pay");

    private static final double TAIL_SHARE = 0.02;
    private static final double MAX_DELAY_MILLIS = 6 * 3600_000.0;

    /** One engagement that will happen, {@code delayMillis} after its impression. */
    record Planned(String type, long delayMillis) {}

    private final double delayScale;

    Engagements(double delayScale) {
        this.delayScale = delayScale;
    }

    List<Planned> draw(
            SplittableRandom r,
            World.User user,
            World.Item item,
            double categoryLogPrice,
            int position,
            double distanceKm) {
        double affinity = World.affinity(user, item);
        double click =
                CLICK_BASE
                        + 1.2 * affinity
                        + item.quality()
                        - 0.6 * Math.log(position)
                        - 0.1 * Math.log1p(distanceKm);
        List<Planned> out = new ArrayList<>(3);
        if (r.nextDouble() < sigmoid(click)) {
            long clickDelay = delay(r, 4_000);
            out.add(new Planned("click", clickDelay));
            boolean saved = r.nextDouble() < sigmoid(-1.6 + 0.6 * affinity + item.quality());
            if (saved) {
                out.add(new Planned("save", clickDelay + delay(r, 30_000)));
            }
            double pay =
                    -4.0
                            + 0.6 * affinity
                            - 0.6 * (Math.log(item.price()) - categoryLogPrice)
                            + (saved ? 1.2 : 0);
            if (r.nextDouble() < sigmoid(pay)) {
                out.add(new Planned("pay", clickDelay + delay(r, 600_000)));
            }
        } else if (r.nextDouble() < sigmoid(-4.0 - 0.9 * affinity)) {
            out.add(new Planned("hide", delay(r, 6_000)));
        }
        return out;
    }

    private long delay(SplittableRandom r, double medianMillis) {
        double d = medianMillis * Math.exp(World.gaussian(r));
        if (r.nextDouble() < TAIL_SHARE) {
            d *= Math.exp(2 + 4 * r.nextDouble());
        }
        return Math.max(1, Math.round(Math.min(d, MAX_DELAY_MILLIS) * delayScale));
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
