package dev.flinkelt.bench;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

import javax.imageio.ImageIO;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * The results as one PNG: snapshot throughput per contender (log scale) and streaming latency
 * percentiles.
 */
final class Plot {
    private Plot() {}

    static void write(Report report, Path file) throws Exception {
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset snapshot = new DefaultCategoryDataset();
        for (String c : report.contenders("snapshot")) {
            double rate = report.snapshotRate(c);
            if (!Double.isNaN(rate)) {
                snapshot.addValue(rate, "rows/s (median)", c);
            }
        }
        DefaultCategoryDataset latency = new DefaultCategoryDataset();
        for (int rate : report.rates()) {
            for (String c : report.contenders("streaming")) {
                var v = report.valid("streaming", c, rate);
                if (!v.isEmpty()) {
                    String col = c + " @" + rate;
                    latency.addValue(Report.median(v, r -> r.latency().p50()), "p50", col);
                    latency.addValue(Report.median(v, r -> r.latency().p95()), "p95", col);
                    latency.addValue(Report.median(v, r -> r.latency().p99()), "p99", col);
                }
            }
        }
        int width = 1400;
        int half = 560;
        BufferedImage image = new BufferedImage(width, 2 * half, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, 2 * half);
        JFreeChart a =
                ChartFactory.createBarChart(
                        String.format(
                                "Snapshot of %,d rows: rows/s (log scale)",
                                report.options().snapshotRows()),
                        null,
                        "rows/s",
                        snapshot,
                        PlotOrientation.VERTICAL,
                        false,
                        false,
                        false);
        logScale(a, "rows/s");
        a.draw(g, new Rectangle2D.Double(0, 0, width, half));
        JFreeChart b =
                ChartFactory.createBarChart(
                        "Streaming: visibility latency p50 / p95 / p99 (ms, log scale) by contender @ changes/s",
                        null,
                        "ms",
                        latency,
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
        logScale(b, "ms");
        b.draw(g, new Rectangle2D.Double(0, half, width, half));
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /**
     * Log value axis (the contenders differ by orders of magnitude), white background, slanted
     * labels.
     */
    private static void logScale(JFreeChart chart, String label) {
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (plot.getDataset().getRowCount() > 0) {
            LogarithmicAxis log = new LogarithmicAxis(label);
            log.setAllowNegativesFlag(false);
            ((BarRenderer) plot.getRenderer()).setBase(1); // bars start at 1 on a log axis
            plot.setRangeAxis(log);
        }
        plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
}
