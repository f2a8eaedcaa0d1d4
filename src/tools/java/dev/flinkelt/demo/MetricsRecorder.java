package dev.flinkelt.demo;

import dev.flinkelt.monitor.PrometheusText;
import dev.flinkelt.monitor.PrometheusText.Sample;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import javax.imageio.ImageIO;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Scrapes the demo's Prometheus endpoint every second (finer than the checkpoint interval, so the
 * rise and fall of freshness between checkpoints shows) and plots the dashboard's main series over
 * the run as one PNG: rows made visible per second by {@code _op} (over 10 s), freshness per table,
 * source to visible latency, the slot's retained WAL.
 */
final class MetricsRecorder {
    private static final String OP = "flink_taskmanager_job_task_operator_";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final URI endpoint;
    private final long start = System.currentTimeMillis();
    private static final double RATE_WINDOW_SECONDS = 10;

    private final Map<String, XYSeries> rows = new TreeMap<>();

    /** Rows loaded so far by _op, at each scrape. */
    private final List<Map.Entry<Double, Map<String, Double>>> totals = new ArrayList<>();

    private ScheduledExecutorService timer;
    private final Map<String, XYSeries> freshness = new TreeMap<>();
    private final XYSeries p50 = new XYSeries("p50");
    private final XYSeries p99 = new XYSeries("p99");
    private final XYSeries slotLag = new XYSeries("retained WAL");

    MetricsRecorder(int port) {
        this.endpoint = URI.create("http://127.0.0.1:" + port + "/metrics");
    }

    /** Scrapes every second from now on. */
    void start() {
        timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "metrics-recorder");
                            t.setDaemon(true);
                            return t;
                        });
        timer.scheduleAtFixedRate(
                () -> {
                    try {
                        record();
                    } catch (RuntimeException e) {
                        // one odd scrape must not end the recording (an uncaught exception would)
                    }
                },
                0,
                1,
                TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** One scrape; false when the endpoint did not answer (the job may not run yet). */
    synchronized boolean record() {
        List<Sample> samples;
        try {
            HttpResponse<String> r =
                    HTTP.send(
                            HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return false;
            }
            samples = PrometheusText.parse(r.body());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        double t = (System.currentTimeMillis() - start) / 1000.0;
        Map<String, Double> byOp = new TreeMap<>();
        Map<String, Double> fresh = new TreeMap<>();
        double q50 = Double.NaN;
        double q99 = Double.NaN;
        double lag = Double.NaN;
        for (Sample s : samples) {
            switch (s.name().substring(Math.min(OP.length(), s.name().length()))) {
                case "table_op_rowsLoaded" ->
                        byOp.merge(s.labels().get("op"), s.value(), Double::sum);
                case "table_freshnessSeconds" -> {
                    if (!Double.isNaN(s.value())) {
                        fresh.merge(s.labels().get("table"), s.value(), Math::min);
                    }
                }
                case "visibleLatencyMillis" -> {
                    if ("0.5".equals(s.labels().get("quantile"))) {
                        q50 = max(q50, s.value());
                    } else if ("0.99".equals(s.labels().get("quantile"))) {
                        q99 = max(q99, s.value());
                    }
                }
                case "slotLagBytes" -> lag = max(lag, s.value());
                default -> {}
            }
        }
        // rows per second over the last 10 s: commits come once per checkpoint
        Map.Entry<Double, Map<String, Double>> before = null;
        for (Map.Entry<Double, Map<String, Double>> e : totals) {
            if (e.getKey() <= t - RATE_WINDOW_SECONDS) {
                before = e;
            }
        }
        if (before != null) {
            for (Map.Entry<String, Double> e : byOp.entrySet()) {
                double was = before.getValue().getOrDefault(e.getKey(), 0.0);
                rows.computeIfAbsent(e.getKey(), XYSeries::new)
                        .add(t, Math.max(0, e.getValue() - was) / (t - before.getKey()));
            }
        }
        totals.add(Map.entry(t, byOp));
        fresh.forEach((table, v) -> freshness.computeIfAbsent(table, XYSeries::new).add(t, v));
        addIf(p50, t, q50);
        addIf(p99, t, q99);
        addIf(slotLag, t, lag / 1024);
        return true;
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    private static void addIf(XYSeries s, double t, double v) {
        if (!Double.isNaN(v) && v >= 0) {
            s.add(t, v);
        }
    }

    /** The four charts in one PNG. */
    synchronized void plot(Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int w = 800;
        int h = 420;
        BufferedImage image = new BufferedImage(2 * w, 2 * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 2 * w, 2 * h);
        chart("Rows visible in raw per second (over 10 s), by _op", "rows/s", rows)
                .draw(g, new Rectangle2D.Double(0, 0, w, h));
        chart("Freshness per table (s since its newest visible change)", "s", freshness)
                .draw(g, new Rectangle2D.Double(w, 0, w, h));
        chart("Source commit to visible in raw (ms)", "ms", Map.of("p50", p50, "p99", p99))
                .draw(g, new Rectangle2D.Double(0, h, w, h));
        chart("WAL retained by the slot (KB)", "KB", Map.of("retained WAL", slotLag))
                .draw(g, new Rectangle2D.Double(w, h, w, h));
        g.dispose();
        Path dir = png.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static JFreeChart chart(String title, String unit, Map<String, XYSeries> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        new TreeMap<>(series).values().forEach(data::addSeries);
        return ChartFactory.createXYLineChart(
                title, "s since start", unit, data, PlotOrientation.VERTICAL, true, false, false);
    }
}
