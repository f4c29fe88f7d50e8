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

    /** The logits of one impression; pure, so asking for the truth draws nothing. */
    private record Logits(double click, double saveGivenClick, double payGivenClick, double hide) {}

    private static Logits logits(
            World.User user,
            World.Item item,
            double categoryLogPrice,
            int position,
            double distanceKm) {
        double affinity = World.affinity(user, item);
        return new Logits(
                CLICK_BASE
                        + 1.2 * affinity
                        + item.quality()
                        - 0.6 * Math.log(position)
                        - 0.1 * Math.log1p(distanceKm),
                -1.6 + 0.6 * affinity + item.quality(),
                -4.0 + 0.6 * affinity - 0.6 * (Math.log(item.price()) - categoryLogPrice),
                -4.0 - 0.9 * affinity);
    }

    /** The true probability of each engagement type for one impression (whatever the window). */
    static Truth truth(
            World.User user,
            World.Item item,
            double categoryLogPrice,
            int position,
            double distanceKm) {
        Logits l = logits(user, item, categoryLogPrice, position, distanceKm);
        double click = sigmoid(l.click());
        double save = sigmoid(l.saveGivenClick());
        double pay =
                save * sigmoid(l.payGivenClick() + 1.2) + (1 - save) * sigmoid(l.payGivenClick());
        return new Truth(click, click * save, (1 - click) * sigmoid(l.hide()), click * pay);
    }

    List<Planned> draw(
            SplittableRandom r,
            World.User user,
            World.Item item,
            double categoryLogPrice,
            int position,
            double distanceKm) {
        Logits l = logits(user, item, categoryLogPrice, position, distanceKm);
        List<Planned> out = new ArrayList<>(3);
        if (r.nextDouble() < sigmoid(l.click())) {
            long clickDelay = delay(r, 4_000);
            out.add(new Planned("click", clickDelay));
            boolean saved = r.nextDouble() < sigmoid(l.saveGivenClick());
            if (saved) {
                out.add(new Planned("save", clickDelay + delay(r, 30_000)));
            }
            if (r.nextDouble() < sigmoid(l.payGivenClick() + (saved ? 1.2 : 0))) {
                out.add(new Planned("pay", clickDelay + delay(r, 600_000)));
            }
        } else if (r.nextDouble() < sigmoid(l.hide())) {
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
