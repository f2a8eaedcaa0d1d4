package dev.flinkelt.bench;

import dev.flinkelt.bench.tpch.Answers;
import dev.flinkelt.bench.tpch.TpchChanges;
import dev.flinkelt.bench.tpch.TpchQueries;
import dev.flinkelt.bench.tpch.TpchResult;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL peer of the TPC-H transform workload: the same six queries on the source database
 * itself, as plain queries (every row fetched) and as materialized views (time of {@code REFRESH
 * MATERIALIZED VIEW}), on the data the transform contenders start from and again after the same
 * burst of changes. Each refreshed view is checked against its query.
 */
final class TpchPostgresRun {
    static final String LABEL = "postgres";
    private static final String VIEWS = "tpch_mv";

    private final BenchSetup setup;
    private final List<TpchQueries.Query> queries;

    TpchPostgresRun(BenchSetup setup, List<TpchQueries.Query> queries) {
        this.setup = setup;
        this.queries = queries;
    }

    TpchResult run(String db, String template, int rep, int order) throws Exception {
        double scale = setup.options().tpchScale();
        setup.out().printf("tpch %s rep %d (%s) ...%n", LABEL, rep, db);
        // a contender only for BenchRun's databases and clean-up; nothing is started
        Contender none = new Contender(Contender.Kind.FLINK_ELT, 1, Duration.ZERO);
        try (BenchRun run = new BenchRun(setup, none, db, template)) {
            Map<String, Double> seconds = new LinkedHashMap<>();
            Meter meter = new Meter(setup.postmasters(), run.harnessBackends);
            try (Statement st = run.source.createStatement()) {
                st.execute("CREATE SCHEMA " + VIEWS);
                for (TpchQueries.Query q : queries) {
                    st.execute(
                            "CREATE MATERIALIZED VIEW "
                                    + view(q)
                                    + " AS "
                                    + q.postgresSql()
                                    + " WITH NO DATA");
                }
            }
            String problem = measure(run.source, "initial", seconds);
            long changes = 0;
            if (problem == null) {
                try (Connection writer = setup.source().connect(db)) {
                    run.harnessBackends.add(BenchRun.backendPid(writer));
                    changes =
                            TpchChanges.apply(writer).values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum();
                }
                problem = measure(run.source, "afterChanges", seconds);
            }
            Meter.Reading m = meter.stop();
            seconds.put("sourceCpu", m.sourceCpu());
            if (problem != null) {
                return TpchResult.failed(LABEL, rep, order, scale, problem);
            }
            return new TpchResult(
                    LABEL, rep, order, true, null, scale, 0, changes, null, null, null, 0, seconds,
                    null);
        }
    }

    private static String view(TpchQueries.Query q) {
        return VIEWS + "." + q.name();
    }

    /**
     * Times every query (all rows fetched), then every refresh, into {@code seconds} as {@code
     * phase/query/name}, {@code phase/refresh/name} and the totals {@code phase/query}, {@code
     * phase/refresh}; returns a problem if a view differs from its query.
     */
    private String measure(Connection c, String phase, Map<String, Double> seconds)
            throws Exception {
        double queryTotal = 0;
        double refreshTotal = 0;
        try (Statement st = c.createStatement()) {
            for (TpchQueries.Query q : queries) {
                long t0 = System.nanoTime();
                try (ResultSet rs = st.executeQuery(q.postgresSql())) {
                    while (rs.next()) {
                        // fetch every row, as a client of the query would
                    }
                }
                double s = (System.nanoTime() - t0) / 1e9;
                seconds.put(phase + "/query/" + q.name(), s);
                queryTotal += s;
            }
            for (TpchQueries.Query q : queries) {
                long t0 = System.nanoTime();
                st.execute("REFRESH MATERIALIZED VIEW " + view(q));
                double s = (System.nanoTime() - t0) / 1e9;
                seconds.put(phase + "/refresh/" + q.name(), s);
                refreshTotal += s;
            }
        }
        seconds.put(phase + "/query", queryTotal);
        seconds.put(phase + "/refresh", refreshTotal);
        for (TpchQueries.Query q : queries) {
            String d =
                    Answers.difference(
                            view(q),
                            Answers.rows(c, "SELECT * FROM " + view(q)),
                            Answers.rows(c, q.postgresSql()));
            if (d != null) {
                return phase + ": " + d;
            }
        }
        return null;
    }
}
