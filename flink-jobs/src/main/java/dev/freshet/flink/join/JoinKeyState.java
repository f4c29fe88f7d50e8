package dev.freshet.flink.join;

import dev.freshet.features.event.Engagement;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Everything the label join keeps for one impression id, in one immutable value.
 *
 * <p>One value per key instead of three states (impression, emitted marker, MapState of
 * engagements) means one state access per event and a label read in O(1) at emit: labels are folded
 * into {@link #labelBits} as engagements arrive, instead of walking the engagements when the window
 * closes (docs/BENCHMARKS.md, label join finding 3). Engagement ids are kept only to drop
 * duplicates; whole engagements only while they wait for their impression.
 *
 * <p>The pending impression is kept serialized ({@link ImpressionBytes}): one byte array instead of
 * a graph of maps, boxed doubles, lists and strings that lives ~10 s in state, survives young
 * collections and is serialized again by every checkpoint while it waits (finding 2). It is
 * serialized once on arrival and read back once, at emit.
 *
 * <p>Immutable on purpose: the heap backend's copy-on-write snapshots and our serializers' identity
 * {@code copy} rely on state objects never changing once written. Each change returns a new value
 * (the arrays are never written after construction).
 *
 * <p>Exactly one of three phases holds: <em>pending</em> ({@link #impression} set),
 * <em>emitted</em> ({@link #emittedAt} set, the impression dropped) or <em>holding</em> (neither:
 * only engagements that came before their impression, in {@link #held}).
 *
 * @param impression the impression waiting for its windows to close, serialized, or null
 * @param impressionTime its event time (0 when {@code impression} is null)
 * @param emittedAt event time of the emitted impression, or {@link #NOT_EMITTED}
 * @param labelBits bit i set when an engagement for task i (in {@code TaskWindows.tasks()} order)
 *     fell within that task's window
 * @param seenIds ids of engagements already counted or reported, for deduplication
 * @param held engagements that arrived before their impression, in arrival order
 */
record JoinKeyState(
        byte[] impression,
        long impressionTime,
        long emittedAt,
        int labelBits,
        String[] seenIds,
        Engagement[] held) {

    static final long NOT_EMITTED = Long.MIN_VALUE;

    private static final String[] NO_IDS = new String[0];
    private static final Engagement[] NONE_HELD = new Engagement[0];

    JoinKeyState {
        Objects.requireNonNull(seenIds, "seenIds");
        Objects.requireNonNull(held, "held");
    }

    static JoinKeyState holding(Engagement first) {
        return new JoinKeyState(null, 0L, NOT_EMITTED, 0, NO_IDS, new Engagement[] {first});
    }

    static JoinKeyState pendingFirst(byte[] imp, long impTime) {
        return new JoinKeyState(imp, impTime, NOT_EMITTED, 0, NO_IDS, NONE_HELD);
    }

    /**
     * The impression arrives; engagements held for it become seen (their labels already folded).
     */
    JoinKeyState pending(byte[] imp, long impTime, int foldedBits) {
        String[] ids = seenIds;
        if (held.length > 0) {
            ids = Arrays.copyOf(seenIds, seenIds.length + held.length);
            for (int i = 0; i < held.length; i++) {
                ids[seenIds.length + i] = held[i].engagementId();
            }
        }
        return new JoinKeyState(imp, impTime, NOT_EMITTED, labelBits | foldedBits, ids, NONE_HELD);
    }

    boolean isPending() {
        return impression != null;
    }

    boolean isEmitted() {
        return emittedAt != NOT_EMITTED;
    }

    boolean hasSeen(String engagementId) {
        for (String id : seenIds) {
            if (id.equals(engagementId)) {
                return true;
            }
        }
        for (Engagement e : held) {
            if (e.engagementId().equals(engagementId)) {
                return true;
            }
        }
        return false;
    }

    /** An engagement counted (or reported late): remembered so a repeat is a duplicate. */
    JoinKeyState seen(String engagementId, int bits) {
        String[] ids = Arrays.copyOf(seenIds, seenIds.length + 1);
        ids[seenIds.length] = engagementId;
        return new JoinKeyState(impression, impressionTime, emittedAt, labelBits | bits, ids, held);
    }

    JoinKeyState hold(Engagement e) {
        Engagement[] more = Arrays.copyOf(held, held.length + 1);
        more[held.length] = e;
        return new JoinKeyState(impression, impressionTime, emittedAt, labelBits, seenIds, more);
    }

    /** Only these of the held engagements are still held (the rest expired and are forgotten). */
    JoinKeyState holdingOnly(List<Engagement> stillHeld) {
        return new JoinKeyState(
                impression,
                impressionTime,
                emittedAt,
                labelBits,
                seenIds,
                stillHeld.toArray(NONE_HELD));
    }

    /** The sample went out: keep what routes stragglers and repeats, drop the impression. */
    JoinKeyState emitted() {
        return new JoinKeyState(null, 0L, impressionTime, labelBits, seenIds, NONE_HELD);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JoinKeyState s
                && Arrays.equals(impression, s.impression)
                && impressionTime == s.impressionTime
                && emittedAt == s.emittedAt
                && labelBits == s.labelBits
                && Arrays.equals(seenIds, s.seenIds)
                && Arrays.equals(held, s.held);
    }

    @Override
    public int hashCode() {
        return Objects.hash(impressionTime, emittedAt, labelBits)
                + 7 * Arrays.hashCode(impression)
                + 31 * Arrays.hashCode(seenIds)
                + 961 * Arrays.hashCode(held);
    }

    @Override
    public String toString() {
        return "JoinKeyState[impressionTime="
                + (isPending() ? impressionTime : "-")
                + " emittedAt="
                + (isEmitted() ? emittedAt : "-")
                + " labelBits="
                + Integer.toBinaryString(labelBits)
                + " seen="
                + Arrays.toString(seenIds)
                + " held="
                + Arrays.toString(held)
                + "]";
    }
}
