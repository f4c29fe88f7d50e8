package dev.freshet.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The pure generator: given a request time, the request's impressions and engagements, each with
 * the wall-clock time it is due. No clock, no threads, no I/O; the same seed, start time and
 * sequence of request times give byte-identical records in the same order.
 *
 * <p>The learnable structure (see docs/SIMULATOR.md):
 *
 * <ul>
 *   <li>{@link World}: 16 user segments and 24 item categories, each with a latent vector of
 *       dimension 8; users and items are their group's vector plus small noise. Items also have a
 *       quality, a log-normal price per category and 1-3 tags from the category's pool.
 *   <li>{@link Engagements}: click probability rises with the user-item affinity and quality and
 *       falls with position and distance; save and pay follow a click, hide only its absence.
 *   <li>So the sparse cross user_segment x category carries most of the signal; item_id, user_id,
 *       tags, price, item_ctr_7d and distance_km carry the rest.
 *   <li>{@link RecentClicks}: every impression carries the user's behaviour sequence {@code
 *       recent_items}, the last 20 items the user clicked before the request, newest first (empty
 *       for a user without clicks yet); clicked items share the user's preferred categories, so the
 *       sequence tells how much the user likes the candidate's.
 * </ul>
 *
 * <p>Faults a pipeline must survive, at the configured shares: malformed records (replacing the
 * valid one), exact duplicates sent again 0.1-10 s later, engagements sent before their impression
 * (the impression held back 0.2-2 s after them; only engagements due within a minute, at delay
 * scale 1, qualify) and a heavy tail of engagement delays.
 *
 * <p>Ids: {@code request_id = runId + "-" + n} (n in base 36), where the run id comes from the
 * start time and the seed so that a restart never repeats an id; {@code impression_id = request_id
 * + ":" + position}; {@code engagement_id = impression_id + ":" + type}.
 *
 * <p>Not thread-safe: one thread calls {@link #request}.
 */
public final class TrafficModel {

    private static final long EARLY_MAX_DELAY_MILLIS = 60_000;

    private final SimulatorConfig config;
    private final String runId;
    private final World world;
    private final Engagements engagements;
    private final SplittableRandom random;
    private final RecentClicks recentClicks = new RecentClicks();
    private long requests;

    public TrafficModel(SimulatorConfig config, long startMillis) {
        this.config = config;
        this.runId = runId(startMillis, config.seed());
        this.world = new World(config.seed(), config.users(), config.items());
        this.engagements = new Engagements(config.delayScale());
        // The draws of the traffic are independent of how the world was built.
        this.random = new SplittableRandom(config.seed() ^ startMillis ^ 0x5DEECE66DL);
    }

    /** Base 36 start time, "s", base 36 seed: distinct per start millisecond and per seed. */
    static String runId(long startMillis, long seed) {
        return Long.toString(startMillis, 36) + "s" + Long.toUnsignedString(seed, 36);
    }

    public String runId() {
        return runId;
    }

    /** The next request at {@code timeMillis}: its records, in generation order. */
    public List<ScheduledEvent> request(long timeMillis) {
        return request(timeMillis, Truth.Listener.NONE);
    }

    /**
     * The next request, telling {@code truth} each impression's true engagement probabilities. The
     * records are the same as without a listener: the truth draws no random numbers.
     */
    public List<ScheduledEvent> request(long timeMillis, Truth.Listener truth) {
        String requestId = runId + "-" + Long.toString(requests++, 36);
        World.User user = world.user(random);
        World.Item[] items = world.distinctItems(random, config.itemsPerRequest());
        List<ScheduledEvent> out = new ArrayList<>(items.length * 2);
        for (int p = 1; p <= items.length; p++) {
            impression(out, timeMillis, requestId, user, items[p - 1], p, truth);
        }
        return out;
    }

    public long requests() {
        return requests;
    }

    private void impression(
            List<ScheduledEvent> out,
            long time,
            String requestId,
            World.User user,
            World.Item item,
            int position,
            Truth.Listener truth) {
        String impressionId = requestId + ":" + position;
        double distanceKm = Math.exp(1.5 + World.gaussian(random));
        truth.accept(
                impressionId,
                Engagements.truth(
                        user, item, world.categoryLogPrice[item.category()], position, distanceKm));
        ObjectNode impression = impressionJson(time, requestId, impressionId, user, item, position);
        ObjectNode dense = (ObjectNode) impression.get("dense");
        dense.put("price", item.price());
        if (random.nextDouble() < 0.1) {
            dense.putNull("item_ctr_7d");
        } else {
            double noisy = item.ctr7d() * Math.exp(0.15 * World.gaussian(random));
            dense.put("item_ctr_7d", Math.round(noisy * 10_000) / 10_000.0);
        }
        if (random.nextDouble() < 0.3) {
            dense.putNull("distance_km");
        } else {
            dense.put("distance_km", Math.round(distanceKm * 100) / 100.0);
        }

        List<Engagements.Planned> planned =
                engagements.draw(
                        random,
                        user,
                        item,
                        world.categoryLogPrice[item.category()],
                        position,
                        distanceKm);
        long impressionSendAt = time;
        List<ScheduledEvent> engagementEvents = new ArrayList<>(planned.size());
        for (Engagements.Planned e : planned) {
            long at = time + e.delayMillis();
            if (e.type().equals("click")) {
                recentClicks.add(user.id(), item.id(), at);
            }
            boolean early =
                    e.delayMillis() <= EARLY_MAX_DELAY_MILLIS * config.delayScale()
                            && random.nextDouble() < config.earlyEngagementShare();
            ObjectNode json = Json.object();
            json.put("engagement_id", impressionId + ":" + e.type());
            json.put("impression_id", impressionId);
            json.put("type", e.type());
            json.put("event_time", at);
            ScheduledEvent.Kind kind =
                    early ? ScheduledEvent.Kind.EARLY_ENGAGEMENT : ScheduledEvent.Kind.ENGAGEMENT;
            ScheduledEvent event = record(at, config.engagementsTopic(), impressionId, json, kind);
            if (early && event.kind() == ScheduledEvent.Kind.EARLY_ENGAGEMENT) {
                impressionSendAt = Math.max(impressionSendAt, at + 200 + random.nextInt(1_800));
            }
            engagementEvents.add(event);
        }
        add(
                out,
                record(
                        impressionSendAt,
                        config.impressionsTopic(),
                        impressionId,
                        impression,
                        ScheduledEvent.Kind.IMPRESSION));
        for (ScheduledEvent e : engagementEvents) {
            add(out, e);
        }
    }

    private ObjectNode impressionJson(
            long time,
            String requestId,
            String impressionId,
            World.User user,
            World.Item item,
            int position) {
        ObjectNode json = Json.object();
        json.put("impression_id", impressionId);
        json.put("request_id", requestId);
        json.put("user_id", user.id());
        json.put("item_id", item.id());
        json.put("event_time", time);
        json.put("position", position);
        json.putObject("dense");
        ObjectNode sparse = json.putObject("sparse");
        sparse.put("user_segment", "seg" + user.segment());
        sparse.put("city", user.city());
        sparse.put("category", World.CATEGORIES[item.category()]);
        sparse.put("item_id", item.id());
        sparse.put("user_id", user.id());
        ArrayNode tags = sparse.putArray("tags");
        item.tags().forEach(tags::add);
        ArrayNode recent = sparse.putArray("recent_items");
        recentClicks.asOf(user.id(), time).forEach(recent::add);
        return json;
    }

    /** The valid record, or with the malformed share a malformed version of it. */
    private ScheduledEvent record(
            long sendAt, String topic, String key, ObjectNode json, ScheduledEvent.Kind kind) {
        if (random.nextDouble() < config.malformedShare()) {
            byte[] bad = Malformer.corrupt(random, json, kind == ScheduledEvent.Kind.IMPRESSION);
            return new ScheduledEvent(sendAt, topic, key, bad, ScheduledEvent.Kind.MALFORMED);
        }
        return new ScheduledEvent(sendAt, topic, key, Json.bytes(json), kind);
    }

    /** Adds the event and, with the duplicate share, an exact re-send of a valid one. */
    private void add(List<ScheduledEvent> out, ScheduledEvent event) {
        out.add(event);
        if (event.kind() != ScheduledEvent.Kind.MALFORMED
                && random.nextDouble() < config.duplicateShare()) {
            out.add(
                    new ScheduledEvent(
                            event.sendAtMillis() + 100 + random.nextInt(9_900),
                            event.topic(),
                            event.key(),
                            event.value(),
                            ScheduledEvent.Kind.DUPLICATE));
        }
    }
}
