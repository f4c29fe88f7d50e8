package dev.freshet.bench.report;

/**
 * One headline number of a benchmark, always next to what it is judged against: a peer measured in
 * the same run (the Flink SQL join, PyTorch eager, a bare JDK HttpServer) or a ceiling (the
 * machine's matrix-multiply rate, the attribution windows).
 *
 * @param id stable key, e.g. {@code join.events_per_cpu_s}
 * @param stage the part of the system, e.g. "Label join + features"
 * @param measure what the value is, e.g. "events per CPU-second"
 * @param value ours
 * @param unit of value and peerValue, e.g. "events/CPU-s"
 * @param peer the peer or ceiling, e.g. "Flink SQL version"
 * @param peerValue the peer's or ceiling's value in the same run
 * @param ratio value / peerValue (or the share of a ceiling)
 * @param aim the ratio the product aims for, NaN if none
 * @param atMost true if the ratio must stay at or below the aim (latency against a bound)
 * @param note one short clause of context, may be empty
 */
public record Figure(
        String id,
        String stage,
        String measure,
        double value,
        String unit,
        String peer,
        double peerValue,
        double ratio,
        double aim,
        boolean atMost,
        String note) {

    /** A figure whose ratio is value / peerValue. */
    public static Figure of(
            String id,
            String stage,
            String measure,
            double value,
            String unit,
            String peer,
            double peerValue,
            double aim,
            boolean atMost,
            String note) {
        return new Figure(
                id,
                stage,
                measure,
                value,
                unit,
                peer,
                peerValue,
                value / peerValue,
                aim,
                atMost,
                note);
    }

    public boolean hasAim() {
        return !Double.isNaN(aim);
    }

    /** Whether the aim is met; true when there is no aim. */
    public boolean meetsAim() {
        if (!hasAim()) {
            return true;
        }
        return atMost ? ratio <= aim : ratio >= aim;
    }
}
