package dev.freshet.cli.experiment;

import dev.freshet.trainer.experiment.ExperimentTable;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

/**
 * The study at a glance: each config's HIT@k gain against the baseline, with the seeds' standard
 * deviation (as a share of the baseline's HIT@k) as error bars, so a gain inside its own seed noise
 * looks like one.
 */
final class ExperimentChart {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;

    private ExperimentChart() {}

    static void png(ExperimentTable table, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double baseHit =
                table.rows().stream()
                        .filter(r -> r.name().equals(table.baseline()))
                        .findFirst()
                        .orElseThrow()
                        .hit();
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        for (ExperimentTable.Row row : table.rows()) {
            data.add(row.hitGainPercent(), row.hitStd() / baseHit * 100, "gain", row.name());
        }
        CategoryAxis configs = new CategoryAxis("config");
        if (table.rows().size() > 5) {
            configs.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        StatisticalBarRenderer bars = new StatisticalBarRenderer();
        bars.setErrorIndicatorPaint(Color.DARK_GRAY);
        bars.setSeriesPaint(0, new Color(0x4C72B0));
        CategoryPlot plot =
                new CategoryPlot(
                        data,
                        configs,
                        new NumberAxis(table.hitLabel() + " gain % vs " + table.baseline()),
                        bars);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart =
                new JFreeChart(
                        table.hitLabel() + " gain (error bars: std across seeds)",
                        JFreeChart.DEFAULT_TITLE_FONT,
                        plot,
                        false);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }
}
