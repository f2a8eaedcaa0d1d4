package dev.flinkelt.bench;

import dev.flinkelt.bench.tpch.Answers;
import dev.flinkelt.bench.tpch.FlinkCheckpoints;
import dev.flinkelt.bench.tpch.TpchChanges;
import dev.flinkelt.bench.tpch.TpchData;
import dev.flinkelt.bench.tpch.TpchQueries;
import dev.flinkelt.bench.tpch.TpchResult;
import dev.flinkelt.cli.Main;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.TransformSettings.Mode;
import dev.flinkelt.raw.RawNames;
import dev.flinkelt.runtime.JobEnvironment;
import dev.flinkelt.transform.TransformJob;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The TPC-H transform workload for a transform contender: extract-load (from the same jar) copies
 * the TPC-H source into raw; once raw holds every row, {@code transform} starts in a JVM of its own
 * and the clock runs until every output equals PostgreSQL's answer on the source. Then a burst of
 * refresh-style changes goes through the source, and the clock runs from the last change visible in
 * raw until every output is current again. Outputs are polled every 250 ms; a time is taken at the
 * end of the poll that saw it (an upper bound).
 */
final class TransformRun {
    private static final long LOAD_NANOS = Duration.ofMinutes(30).toNanos();
    private static final long CURRENT_NANOS = Duration.ofMinutes(20).toNanos();

    private final BenchSetup setup;
    private final List<TpchQueries.Query> queries;
    private final Map<String, Long> sourceRows;

    TransformRun(BenchSetup setup, List<TpchQueries.Query> queries, Map<String, Long> sourceRows) {
        this.setup = setup;
        this.queries = queries;
        this.sourceRows = sourceRows;
    }

    /**
     * Runs {@code label} from {@code jar} (null: this build); {@code transformSettings} are added
     * to the config's {@code transform} section (e.g. {@code state-backend: hashmap}; empty for
     * none).
     */
    TpchResult run(
            String label,
            Path jar,
            String transformSettings,
            String db,
            String template,
            int rep,
            int order)
            throws Exception {
        double scale = setup.options().tpchScale();
        setup.out().printf("tpch %s rep %d (%s) ...%n", label, rep, db);
        Contender el = new Contender(Contender.Kind.FLINK_ELT, 2, Duration.ofSeconds(10), jar);
        try (BenchRun run = new BenchRun(setup, el, db, template)) {
            Path config = config(run, transformSettings);
            run.launch(
                    jar,
                    "extract-load",
                    List.of(Main.class.getName(), "extract-load", "--config", config.toString()));
            long rawRows = awaitRaw(run, sourceRows);
            Map<String, List<String>> expected = Answers.expected(run.source, queries);

            int port = JobEnvironment.freePort();
            Meter meter = new Meter(setup.postmasters(), run.harnessBackends);
            long start = Clock.micros();
            Process transform =
                    run.launch(
                            jar,
                            "transform",
                            List.of(
                                    Main.class.getName(),
                                    "transform",
                                    "--config",
                                    config.toString(),
                                    "--web-ui-port",
                                    String.valueOf(port)));
            meter.watch(transform, true);
            Poll initial = awaitCurrent(run, expected, start);
            Meter.Reading m1 = meter.stop();
            if (initial.problem != null) {
                return TpchResult.failed(label, rep, order, scale, "initial: " + initial.problem);
            }

            Map<String, Integer> answerRows = new LinkedHashMap<>();
            expected.forEach((q, rows) -> answerRows.put("initial/" + q, rows.size()));
            Map<String, Long> changed;
            Poll after;
            Meter.Reading m2;
            Meter meter2 = new Meter(setup.postmasters(), run.harnessBackends);
            meter2.watch(transform, false);
            // the writer's session stays open until the meter stops: its backend is the
            // harness's, not the pipeline's
            try (Connection writer = setup.source().connect(db)) {
                run.harnessBackends.add(BenchRun.backendPid(writer));
                changed = TpchChanges.apply(writer);
                Map<String, List<String>> expected2 = Answers.expected(run.source, queries);
                Map<String, Long> rawExpected = new HashMap<>(sourceRows);
                changed.forEach((t, n) -> rawExpected.merge(t, n, Long::sum));
                awaitRaw(run, rawExpected);
                long seen = Clock.micros();
                long rawVisible = Math.min(seen, lastRawCommit(run, changed.keySet()));
                after = awaitCurrent(run, expected2, rawVisible);
                m2 = meter2.stop();
                if (after.problem == null) {
                    // still right a moment later: no transient match
                    Thread.sleep(2000);
                    List<String> again = differences(run, expected2, null, 0);
                    if (!again.isEmpty()) {
                        after = new Poll(0, null, "changed again after matching: " + again);
                    }
                }
                expected2.forEach((q, rows) -> answerRows.put("afterChanges/" + q, rows.size()));
            }
            if (after.problem != null) {
                return TpchResult.failed(
                        label, rep, order, scale, "after changes: " + after.problem);
            }
            long changes = changed.values().stream().mapToLong(Long::longValue).sum();
            return new TpchResult(
                    label,
                    rep,
                    order,
                    true,
                    null,
                    scale,
                    rawRows,
                    changes,
                    phase(initial, m1, rawRows),
                    phase(new Poll(after.seconds, null, null), m2, changes),
                    // the warehouse database is the run's db
                    FlinkCheckpoints.latest(port, TransformJob.jobName(Mode.STREAMING, db)),
                    Math.max(m1.jvmPeakRss(), m2.jvmPeakRss()),
                    null,
                    answerRows);
        } catch (IllegalStateException e) {
            return TpchResult.failed(label, rep, order, scale, e.getMessage());
        }
    }

    private static TpchResult.Phase phase(Poll p, Meter.Reading m, long rows) {
        return new TpchResult.Phase(
                p.seconds, p.first, m.jvmCpu(), m.sourceCpu(), m.targetCpu(), m.jvmCpu() / rows);
    }

    /** The pipeline: every TPC-H table into raw, the six queries as the transform's SQL. */
    private Path config(BenchRun run, String transformSettings) throws Exception {
        Path out = setup.options().out();
        Path sqlDir = Files.createDirectories(out.resolve("tpch-sql-" + run.db));
        for (TpchQueries.Query q : queries) {
            Files.writeString(sqlDir.resolve(q.name() + ".sql"), q.flinkSql());
        }
        Path config = out.resolve(run.db + ".yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "source: { url: '"
                                + setup.source().url(run.db)
                                + "', username: postgres,"
                                + " tables: ['"
                                + TpchData.SCHEMA
                                + ".*'], slot: "
                                + run.slot()
                                + ", publication: "
                                + run.slot()
                                + " }",
                        "target: { url: '"
                                + setup.target().url(run.db)
                                + "', username: postgres, raw-schema: raw }",
                        "pipeline: { parallelism: 2, checkpoint-interval: 10s, checkpoint-dir: '"
                                + out.resolve("checkpoints-" + run.db).toUri()
                                + "'"
                                + setup.options().flinkEltSettings().entrySet().stream()
                                        .map(e -> ", " + e.getKey() + ": " + e.getValue())
                                        .collect(Collectors.joining())
                                + " }",
                        "transform: { sql-dir: '"
                                + sqlDir
                                + "'"
                                + (transformSettings.isEmpty() ? "" : ", " + transformSettings)
                                + " }"));
        return config;
    }

    private static String raw(String table) {
        return "\"raw\".\"" + RawNames.of(TpchData.SCHEMA, table) + "\"";
    }

    /** Waits until every raw table holds {@code expected} rows; returns their sum. */
    private static long awaitRaw(BenchRun run, Map<String, Long> expected) throws Exception {
        long deadline = System.nanoTime() + LOAD_NANOS;
        while (true) {
            run.checkAlive();
            long total = 0;
            boolean done = true;
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                // a raw table appears when extract-load first writes to it
                boolean exists =
                        BenchRun.queryLong(
                                        run.target,
                                        "SELECT count(to_regclass("
                                                + Identifiers.literal(raw(e.getKey()))
                                                + "))")
                                > 0;
                long n =
                        exists
                                ? BenchRun.queryLong(
                                        run.target, "SELECT count(*) FROM " + raw(e.getKey()))
                                : -1;
                if (n > e.getValue()) {
                    throw new IllegalStateException(
                            raw(e.getKey())
                                    + " has "
                                    + n
                                    + " rows, "
                                    + e.getValue()
                                    + " expected (duplicates)");
                }
                done &= n == e.getValue();
                total += Math.max(0, n);
            }
            if (done) {
                return total;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("raw tables incomplete after 30 min");
            }
            Thread.sleep(250);
        }
    }

    /** The commit time (µs since the epoch) of the newest raw row of {@code tables}. */
    private static long lastRawCommit(BenchRun run, Iterable<String> tables) throws Exception {
        long last = 0;
        for (String t : tables) {
            last =
                    Math.max(
                            last,
                            BenchRun.queryLong(
                                    run.target,
                                    "SELECT (extract(epoch FROM max(pg_xact_commit_timestamp(xmin))) * 1000000)::bigint FROM "
                                            + raw(t)));
        }
        return last;
    }

    /** Seconds from {@code fromMicros} until every output was current, and until the first was. */
    private record Poll(double seconds, Double first, String problem) {}

    private Poll awaitCurrent(BenchRun run, Map<String, List<String>> expected, long fromMicros)
            throws Exception {
        long deadline = System.nanoTime() + CURRENT_NANOS;
        Double[] first = {null};
        List<String> problems;
        do {
            run.checkAlive();
            problems = differences(run, expected, first, fromMicros);
            if (problems.isEmpty()) {
                return new Poll((Clock.micros() - fromMicros) / 1e6, first[0], null);
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return new Poll(0, first[0], "not current after 20 min: " + problems);
    }

    /**
     * What differs from the expected answers; notes in {@code first} (unless null) when an output
     * with rows first matched.
     */
    private List<String> differences(
            BenchRun run, Map<String, List<String>> expected, Double[] first, long fromMicros)
            throws Exception {
        List<String> problems = new ArrayList<>();
        for (TpchQueries.Query q : queries) {
            List<String> want = expected.get(q.name());
            String d = Answers.difference(run.target, q, want);
            if (d != null) {
                problems.add(d);
            } else if (first != null && first[0] == null && !want.isEmpty()) {
                first[0] = (Clock.micros() - fromMicros) / 1e6;
            }
        }
        return problems;
    }
}
