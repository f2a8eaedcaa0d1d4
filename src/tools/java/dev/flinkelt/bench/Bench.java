package dev.flinkelt.bench;

import dev.flinkelt.bench.tpch.TpchData;
import dev.flinkelt.bench.tpch.TpchQueries;
import dev.flinkelt.bench.tpch.TpchReport;
import dev.flinkelt.bench.tpch.TpchResult;
import dev.flinkelt.demo.PgServer;

import com.sun.management.OperatingSystemMXBean;
import org.apache.flink.runtime.util.EnvironmentInformation;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark: two PostgreSQL servers with identical settings, one table, and every contender run
 * one after another in this invocation, their order rotated per repetition. Each run is checked
 * (row count and checksum of the target against the source) before it counts.
 */
public final class Bench {
    /** The transform of this build with its state on the heap ({@code state-backend: hashmap}). */
    static final String HEAP = "flink-elt-transform-heap";

    /** Settings of both servers (identical, so neither side favours a contender). */
    static final Map<String, String> SERVER_SETTINGS =
            Map.of(
                    "wal_level",
                    "logical",
                    "max_replication_slots",
                    "40",
                    "max_wal_senders",
                    "40",
                    "max_prepared_transactions",
                    "100",
                    "track_commit_timestamp",
                    "on",
                    "max_worker_processes",
                    "16");

    private final BenchOptions options;
    private final PrintWriter out;
    private final List<RunResult> results = new ArrayList<>();
    private final List<TpchResult> tpch = new ArrayList<>();
    private int runNo;

    public Bench(BenchOptions options, PrintWriter out) {
        this.options = options;
        this.out = out;
    }

    public int run() throws Exception {
        Files.createDirectories(options.out().resolve("logs"));
        out.println("starting source and target PostgreSQL servers ...");
        Map<String, Object> environment;
        try (PgServer source = PgServer.start(SERVER_SETTINGS);
                PgServer target = PgServer.start(SERVER_SETTINGS)) {
            environment = environment(source);
            BenchSetup setup =
                    new BenchSetup(
                            source,
                            target,
                            List.of(postmaster(source), postmaster(target)),
                            options,
                            out);
            if (options.snapshotRows() > 0) {
                template(source, "tpl_snapshot", options.snapshotRows());
                List<Contender> contenders = options.contenders();
                for (int rep = 0; rep < options.reps(); rep++) {
                    for (int i = 0; i < contenders.size(); i++) {
                        Contender c = contenders.get((i + rep) % contenders.size());
                        record(
                                environment,
                                new SnapshotRun(setup)
                                        .run(c, "run" + (++runNo), "tpl_snapshot", rep, i));
                    }
                }
            }
            if (options.rateSearchFrom() > 0) {
                template(source, "tpl_stream", options.streamRows());
                for (Contender c : options.streamContenders()) {
                    RateSearch search = new RateSearch(options.rateSearchFrom());
                    for (int rate = search.next(); rate > 0; rate = search.next()) {
                        boolean sustained = true;
                        for (int rep = 0; rep < options.reps(); rep++) {
                            RunResult r =
                                    new StreamingRun(setup)
                                            .run(c, "run" + (++runNo), "tpl_stream", rep, 0, rate);
                            record(environment, r);
                            sustained &= r.valid() && Boolean.TRUE.equals(r.sustained());
                        }
                        search.result(rate, sustained);
                    }
                }
            } else if (!options.rates().isEmpty()) {
                template(source, "tpl_stream", options.streamRows());
                List<Contender> contenders = options.streamContenders();
                for (int rate : options.rates()) {
                    for (int rep = 0; rep < options.reps(); rep++) {
                        for (int i = 0; i < contenders.size(); i++) {
                            Contender c = contenders.get((i + rep) % contenders.size());
                            record(
                                    environment,
                                    new StreamingRun(setup)
                                            .run(c, "run" + (++runNo), "tpl_stream", rep, i, rate));
                        }
                    }
                }
            }
            if (options.tpchScale() > 0) {
                tpch(setup, environment);
            }
        }
        Report report = new Report(options, results, tpch, environment);
        report.write();
        out.println(report.markdown());
        out.println("results: " + options.out().toAbsolutePath());
        return results.stream().allMatch(RunResult::valid)
                        && tpch.stream().allMatch(TpchResult::valid)
                ? 0
                : 1;
    }

    /**
     * The transform workload: TPC-H generated once into a template database, then each contender
     * (this build's transform, the baseline's, PostgreSQL itself) on a fresh copy, order rotated.
     */
    private void tpch(BenchSetup setup, Map<String, Object> environment) throws Exception {
        out.printf(
                "generating TPC-H scale %s into template database tpl_tpch ...%n",
                options.tpchScale());
        setup.source().createDatabase("tpl_tpch");
        Map<String, Long> rows;
        try (Connection c = setup.source().connect("tpl_tpch")) {
            rows = TpchData.load(c, options.tpchScale());
        }
        out.println("  rows per table: " + rows);
        List<TpchQueries.Query> queries = TpchQueries.all();
        // the default (RocksDB) and the heap state backend side by side: the choice is the
        // user's (README: the transform's state), so both figures are reported
        List<String> contenders = new ArrayList<>(List.of("flink-elt-transform", HEAP));
        if (options.baselineJar() != null) {
            contenders.add("baseline-transform");
        }
        contenders.add(TpchPostgresRun.LABEL);
        for (int rep = 0; rep < options.reps(); rep++) {
            for (int i = 0; i < contenders.size(); i++) {
                String c = contenders.get((i + rep) % contenders.size());
                String db = "run" + (++runNo);
                TpchResult r =
                        c.equals(TpchPostgresRun.LABEL)
                                ? new TpchPostgresRun(setup, queries).run(db, "tpl_tpch", rep, i)
                                : new TransformRun(setup, queries, rows)
                                        .run(
                                                c,
                                                c.startsWith("baseline")
                                                        ? options.baselineJar()
                                                        : null,
                                                c.equals(HEAP) ? "state-backend: hashmap" : "",
                                                db,
                                                "tpl_tpch",
                                                rep,
                                                i);
                tpch.add(r);
                new Report(options, results, tpch, environment).writeJson();
                out.printf("  %-10s %-22s rep %d: %s%n", "tpch", c, rep, TpchReport.line(r));
            }
        }
    }

    private void record(Map<String, Object> environment, RunResult r) throws Exception {
        results.add(r);
        new Report(options, results, tpch, environment)
                .writeJson(); // so far: a long run that breaks off keeps what it measured
        out.printf(
                "  %-10s %-22s rep %d: %s%n",
                r.workload() + (r.rate() == null ? "" : "@" + r.rate()),
                r.contender(),
                r.rep(),
                r.valid()
                        ? String.format(
                                "%,.0f rows/s, %.1f s, cpu %.1f s/M rows%s",
                                r.rowsPerSecond(),
                                r.seconds(),
                                r.cpuSecondsPerMillionRows(),
                                r.latency() == null
                                        ? ""
                                        : String.format(
                                                ", p50/p99 %.0f/%.0f ms, %s",
                                                r.latency().p50(),
                                                r.latency().p99(),
                                                Boolean.TRUE.equals(r.sustained())
                                                        ? "sustained"
                                                        : "NOT sustained"))
                        : "INVALID: " + r.problem());
    }

    private void template(PgServer source, String name, long rows) throws SQLException {
        out.printf("generating %,d rows into template database %s ...%n", rows, name);
        source.createDatabase(name);
        try (Connection c = source.connect(name)) {
            BenchTable.create(c);
            BenchTable.fill(c, rows);
        }
    }

    private static long postmaster(PgServer server) throws Exception {
        try (Connection c = server.connect("postgres");
                Statement st = c.createStatement();
                var rs = st.executeQuery("SHOW data_directory")) {
            rs.next();
            return Long.parseLong(
                    Files.readAllLines(Path.of(rs.getString(1), "postmaster.pid")).get(0).trim());
        }
    }

    /** Versions and the machine, recorded with the results. */
    static Map<String, Object> environment(PgServer server) throws Exception {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("date", Instant.now().toString());
        env.put("gitCommit", gitCommit());
        env.put(
                "cpu",
                cpuModel()
                        + ", "
                        + Runtime.getRuntime().availableProcessors()
                        + " cores, "
                        + String.format(
                                "%.0f GiB",
                                ((OperatingSystemMXBean)
                                                        ManagementFactory
                                                                .getOperatingSystemMXBean())
                                                .getTotalMemorySize()
                                        / (1024.0 * 1024 * 1024)));
        env.put("java", "Java " + System.getProperty("java.version"));
        env.put("flink", "Flink " + EnvironmentInformation.getVersion());
        try (Connection c = server.connect("postgres");
                Statement st = c.createStatement();
                var rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            env.put("postgres", "PostgreSQL " + rs.getString(1) + " (embedded, both servers)");
        }
        return env;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String gitCommit() {
        try {
            Process p =
                    new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
                            .redirectErrorStream(true)
                            .start();
            String sha = new String(p.getInputStream().readAllBytes()).trim();
            String dirty =
                    new String(
                                    new ProcessBuilder(
                                                    "git",
                                                    "status",
                                                    "--porcelain",
                                                    "--untracked-files=no")
                                            .start()
                                            .getInputStream()
                                            .readAllBytes())
                            .trim();
            return p.waitFor() == 0
                    ? sha + (dirty.isEmpty() ? "" : "+uncommitted changes")
                    : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }
}
