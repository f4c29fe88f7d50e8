package dev.freshet.bench.report;

import java.util.List;

/**
 * Data for one generated plot. {@code BAR}: each point's label is a category on the x axis, one bar
 * per series. {@code LINE}: points at numeric x, optionally on a logarithmic x axis.
 */
public record Chart(
        String id,
        String title,
        Kind kind,
        String xLabel,
        String yLabel,
        boolean logX,
        List<Series> series) {

    public enum Kind {
        BAR,
        HBAR,
        LINE
    }

    /** One named line or set of bars. */
    public record Series(String name, List<Point> points) {}

    /** A category label (bar charts), an x value (line charts) and the y value. */
    public record Point(String label, double x, double y) {

        public static Point bar(String label, double y) {
            return new Point(label, Double.NaN, y);
        }

        public static Point at(double x, double y) {
            return new Point(Double.toString(x), x, y);
        }
    }
}
