package dev.flinkelt.demo;

import dev.flinkelt.cli.VerifyCommand;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TransformSettings.Mode;
import dev.flinkelt.extractload.ExtractLoadLauncher;
import dev.flinkelt.monitor.FlinkRest;
import dev.flinkelt.monitor.StatusReport;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.runtime.JobEnvironment;
import dev.flinkelt.track.SourcePreparer;
import dev.flinkelt.transform.TransformRunner;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The embedded default: two real PostgreSQL servers, a shop, a change generator and the
 * extract-load job.
 */
public final class Demo {
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(3);

    private final Duration duration;
    private final int customers;
    private final int rate;
    private final int parallelism;
    private final Path metricsPng;
    private final PrintStream out = System.out;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    /** {@code metricsPng}: where to plot the run's main metrics, or null. */
    public Demo(Duration duration, int customers, int rate, int parallelism, Path metricsPng) {
        this.duration = duration;
        this.customers = customers;
        this.rate = rate;
        this.parallelism = parallelism;
        this.metricsPng = metricsPng;
    }

    public int run() throws Exception {
        out.println("starting two PostgreSQL servers (source and warehouse) on loopback ...");
        try (PgServer source = PgServer.source();
                PgServer warehouse = PgServer.warehouse()) {
            source.createDatabase("shop");
            warehouse.createDatabase("warehouse");
            try (Connection c = source.connect("shop")) {
                ShopSchema.create(c, customers);
            }
            Path checkpoints = Files.createTempDirectory("flink-elt-demo-checkpoints");
            // a copy of the example transforms: the transform job writes its compiled plan next to
            // the SQL
            Path sqlDir = Files.createTempDirectory("flink-elt-demo-sql");
            if (Files.isDirectory(Path.of("transforms"))) {
                try (var files = Files.list(Path.of("transforms"))) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                        Files.copy(f, sqlDir.resolve(f.getFileName()));
                    }
                }
            }
            int metricsPort = JobEnvironment.freePort();
            PipelineConfig cfg =
                    PipelineConfig.parse(
                            String.join(
                                    "\n",
                                    "source: { url: '"
                                            + source.url("shop")
                                            + "', username: postgres, tables: [shop.*], slot: flink_elt_demo, publication: flink_elt_demo }",
                                    "target: { url: '"
                                            + warehouse.url("warehouse")
                                            + "', username: postgres, raw-schema: raw }",
                                    "pipeline: { parallelism: "
                                            + parallelism
                                            + ", metrics-port: "
                                            + metricsPort
                                            + ", checkpoint-interval: 5s, checkpoint-dir: '"
                                            + checkpoints.toUri()
                                            + "' }",
                                    "transform: { sql-dir: '" + sqlDir + "' }"),
                            Map.of());
            out.println(
                    "source:    "
                            + cfg.source
                            + "  (psql -h 127.0.0.1 -p "
                            + source.port()
                            + " -U postgres shop)");
            out.println(
                    "warehouse: "
                            + cfg.target
                            + "  (psql -h 127.0.0.1 -p "
                            + warehouse.port()
                            + " -U postgres warehouse)");
            SourcePreparer.Result prepared = ExtractLoadLauncher.prepare(cfg);
            List<TableSchema> tables = prepared.tables();
            int uiPort = JobEnvironment.freePort();
            StreamExecutionEnvironment env =
                    JobEnvironment.create(cfg, JobEnvironment.EXTRACT_LOAD, uiPort, null);
            ExtractLoadLauncher.addTo(env, cfg, prepared, UnaryOperator.identity());
            JobClient job = env.executeAsync(ExtractLoadLauncher.jobName(cfg));
            out.println("Flink Web UI: http://127.0.0.1:" + uiPort + "   job " + job.getJobID());
            out.println("Prometheus metrics: http://127.0.0.1:" + metricsPort + "/metrics");
            MetricsRecorder metrics = new MetricsRecorder(metricsPort);
            if (metricsPng != null) {
                metrics.start();
            }
            FlinkRest rest = new FlinkRest("http://127.0.0.1:" + uiPort);
            StopSignal.onInterrupt(
                    () -> {
                        out.println(
                                "Ctrl-C: stopping the generator, letting the pipeline catch up, then verify (Ctrl-C again to quit at once)");
                        stopRequested.countDown();
                    });
            try (Connection genConn = source.connect("shop");
                    Connection s = source.connect("shop");
                    Connection t = warehouse.connect("warehouse")) {
                Progress progress = new Progress(cfg, tables, s, t, out);
                ChangeGenerator generator = new ChangeGenerator(genConn, customers, rate);
                Thread genThread = new Thread(generator, "change-generator");
                genThread.start();
                long deadline =
                        duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
                TableResult transform = null;
                while (System.nanoTime() < deadline && !stopRequested.await(5, TimeUnit.SECONDS)) {
                    if (transform == null && progress.snapshotDone()) {
                        int transformUi = JobEnvironment.freePort();
                        transform = TransformRunner.submit(cfg, Mode.STREAMING, transformUi);
                        out.println(
                                "transform job (mirror tables + transforms/*.sql): Web UI http://127.0.0.1:"
                                        + transformUi);
                    }
                    if (transform != null) {
                        out.println(
                                "         analytics.orders_by_status: "
                                        + String.join(
                                                "  ", ShopAnalytics.rows(t, ShopAnalytics.STATUS)));
                    }
                    JobStatus status = job.getJobStatus().get();
                    if (status.isGloballyTerminalState()) {
                        out.println("the job ended: " + status + " (see the log above)");
                        generator.stop();
                        return 1;
                    }
                    if (generator.failure() != null) {
                        throw new IllegalStateException(
                                "change generator failed", generator.failure());
                    }
                    try {
                        out.println(
                                "         "
                                        + StatusReport.freshnessLine(
                                                rest, ExtractLoadLauncher.jobName(cfg)));
                    } catch (IOException e) {
                        out.println(
                                "         freshness not available yet (" + e.getMessage() + ")");
                    }
                    if (!progress.snapshotDone()) {
                        try {
                            StatusReport.snapshotLines(rest, ExtractLoadLauncher.jobName(cfg))
                                    .forEach(l -> out.println("         " + l));
                        } catch (IOException e) {
                            out.println(
                                    "         snapshot progress not available yet ("
                                            + e.getMessage()
                                            + ")");
                        }
                    }
                    progress.report(generator.changes());
                }
                generator.stop();
                genThread.join();
                out.println(
                        "generator stopped after "
                                + generator.changes()
                                + " changes; waiting for the pipeline to catch up ...");
                boolean ok = awaitMatch(cfg);
                if (metricsPng != null) {
                    metrics.stop();
                    metrics.plot(metricsPng);
                    out.println("metrics of this run plotted: " + metricsPng);
                }
                VerifyCommand.run(cfg, out);
                if (transform != null) {
                    boolean analytics = awaitAnalytics(s, t);
                    out.println(
                            analytics
                                    ? "analytics: revenue_per_customer_day and orders_by_status equal the same queries run on the source"
                                    : "analytics: MISMATCH with the same queries run on the source");
                    ok &= analytics;
                    stop(transform.getJobClient().orElseThrow());
                }
                stop(job);
                out.println(
                        ok
                                ? "demo finished: every change landed exactly once"
                                : "demo finished: verify found a MISMATCH");
                return ok ? 0 : 1;
            }
        }
    }

    /**
     * Cancels a job and waits until it has ended, so none of its tasks meets the servers going
     * away.
     */
    private static void stop(JobClient job) throws Exception {
        job.cancel().get(1, TimeUnit.MINUTES);
        job.getJobExecutionResult().handle((r, e) -> null).get(1, TimeUnit.MINUTES);
    }

    /** Polls until the example transforms' outputs equal the direct computation on the source. */
    private static boolean awaitAnalytics(Connection source, Connection warehouse)
            throws Exception {
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        while (!ShopAnalytics.matches(source, warehouse)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1000); // poll interval of a condition with a deadline
        }
        return true;
    }

    /** Polls verify (quietly) until source and warehouse match or the timeout passes. */
    private static boolean awaitMatch(PipelineConfig cfg) throws Exception {
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        while (true) {
            PrintStream quiet =
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            if (VerifyCommand.run(cfg, quiet)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1000); // poll interval of a condition with a deadline
        }
    }
}
