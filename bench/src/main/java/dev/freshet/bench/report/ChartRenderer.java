package dev.freshet.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws a {@link Chart} to a PNG with JFreeChart, headless. */
final class ChartRenderer {

    static final int WIDTH = 900;
    static final int HEIGHT = 480;

    private ChartRenderer() {}

    static void png(Chart chart, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        JFreeChart drawn =
                switch (chart.kind()) {
                    case BAR -> bar(chart, PlotOrientation.VERTICAL);
                    case HBAR -> bar(chart, PlotOrientation.HORIZONTAL);
                    case LINE -> line(chart);
                };
        drawn.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), drawn, WIDTH, HEIGHT);
    }

    private static JFreeChart bar(Chart chart, PlotOrientation orientation) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Chart.Series s : chart.series()) {
            for (Chart.Point p : s.points()) {
                data.addValue(p.y(), s.name(), p.label());
            }
        }
        JFreeChart c =
                ChartFactory.createBarChart(
                        chart.title(),
                        chart.xLabel(),
                        chart.yLabel(),
                        data,
                        orientation,
                        true,
                        false,
                        false);
        CategoryPlot plot = c.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (orientation == PlotOrientation.VERTICAL && data.getColumnCount() > 6) {
            plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        return c;
    }

    private static JFreeChart line(Chart chart) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Chart.Series s : chart.series()) {
            XYSeries xy = new XYSeries(s.name());
            s.points().forEach(p -> xy.add(p.x(), p.y()));
            data.addSeries(xy);
        }
        JFreeChart c =
                ChartFactory.createXYLineChart(
                        chart.title(),
                        chart.xLabel(),
                        chart.yLabel(),
                        data,
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
        XYPlot plot = c.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRenderer(new XYLineAndShapeRenderer(true, true));
        if (chart.logX()) {
            LogAxis x = new LogAxis(chart.xLabel());
            x.setBase(2);
            x.setSmallestValue(1);
            plot.setDomainAxis(x);
        }
        return c;
    }
}
