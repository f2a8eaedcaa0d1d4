package dev.flinkelt.bench;

import dev.flinkelt.cli.Main;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.demo.PgServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One contender's run: a fresh source database copied from a template, an empty target database,
 * the contender started against them, and everything it left (process, subscription, slots,
 * prepared transactions, databases) removed on close so the next contender starts from the same
 * state.
 */
final class BenchRun implements AutoCloseable {
    final Contender contender;
    final String db;
    final Connection source;
    final Connection target;
    final Set<Long> harnessBackends = new HashSet<>();
    private final BenchSetup setup;
    private final Path log;
    private Process child;
    private final List<Process> launched = new ArrayList<>();
    private boolean targetExists;

    /** When {@link #hasRows} counts exactly again whatever the statistics say. */
    private long nextExactCount;

    BenchRun(BenchSetup setup, Contender contender, String db, String template)
            throws SQLException {
        this.setup = setup;
        this.contender = contender;
        this.db = db;
        this.log =
                setup.options()
                        .out()
                        .resolve("logs")
                        .resolve(db + "-" + contender.label() + ".log");
        exec(
                setup.source(),
                "CREATE DATABASE "
                        + Identifiers.quote(db)
                        + " TEMPLATE "
                        + Identifiers.quote(template));
        exec(setup.target(), "CREATE DATABASE " + Identifiers.quote(db));
        this.source = setup.source().connect(db);
        this.target = setup.target().connect(db);
        harnessBackends.add(backendPid(source));
        harnessBackends.add(backendPid(target));
        if (!contender.keepsChanges()) {
            BenchTable.create(target);
        }
        if (contender.kind() == Contender.Kind.LOGICAL_REPLICATION) {
            try (Statement st = target.createStatement()) {
                st.execute(
                        "ALTER TABLE "
                                + BenchTable.QUALIFIED
                                + " ADD COLUMN _seen timestamptz DEFAULT clock_timestamp()");
                st.execute(
                        "CREATE FUNCTION bench.seen() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN NEW._seen := clock_timestamp(); RETURN NEW; END'");
                st.execute(
                        "CREATE TRIGGER seen BEFORE UPDATE ON "
                                + BenchTable.QUALIFIED
                                + " FOR EACH ROW EXECUTE FUNCTION bench.seen()");
                st.execute(
                        "ALTER TABLE "
                                + BenchTable.QUALIFIED
                                + " ENABLE ALWAYS TRIGGER seen"); // the apply worker fires only
                // these
            }
        }
    }

    static long backendPid(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs a statement in the server's maintenance database (database-level commands). */
    private static void exec(PgServer server, String sql) throws SQLException {
        try (Connection c = server.connect("postgres");
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    String slot() {
        return "bench_" + db;
    }

    /**
     * Starts the contender; returns its JVM, or null when it runs inside the servers (logical
     * replication).
     */
    Process start() throws Exception {
        BenchOptions options = setup.options();
        Path workDir = options.out();
        String src = setup.source().url(db);
        String tgt = setup.target().url(db);
        String name = Identifiers.quote(slot());
        switch (contender.kind()) {
            case COPY -> child = jvm(List.of(ContenderMain.class.getName(), "copy", src, tgt));
            case PER_ROW ->
                    child =
                            jvm(
                                    List.of(
                                            ContenderMain.class.getName(),
                                            "per-row",
                                            src,
                                            tgt,
                                            String.valueOf(options.perRowSeconds())));
            case FLINK_SQL -> {
                // its default changelog mode refuses updates and deletes without the old row
                // ("please check the
                // Postgres table has been set REPLICA IDENTITY to FULL"): users do what the message
                // says
                try (Statement st = source.createStatement()) {
                    st.execute("ALTER TABLE " + BenchTable.QUALIFIED + " REPLICA IDENTITY FULL");
                }
                child =
                        jvm(
                                List.of(
                                        ContenderMain.class.getName(),
                                        "flink-sql",
                                        "127.0.0.1",
                                        String.valueOf(setup.source().port()),
                                        db,
                                        tgt + "?stringtype=unspecified",
                                        slot(),
                                        String.valueOf(contender.parallelism())));
            }
            case LOGICAL_REPLICATION -> {
                try (Statement st = source.createStatement()) {
                    st.execute("CREATE PUBLICATION " + name + " FOR TABLE " + BenchTable.QUALIFIED);
                }
                try (Statement st = target.createStatement()) {
                    st.execute(
                            "CREATE SUBSCRIPTION "
                                    + name
                                    + " CONNECTION "
                                    + Identifiers.literal(
                                            "host=127.0.0.1 port="
                                                    + setup.source().port()
                                                    + " dbname="
                                                    + db
                                                    + " user="
                                                    + PgServer.USER)
                                    + " PUBLICATION "
                                    + name
                                    + " WITH (copy_data = true, slot_name = "
                                    + Identifiers.literal(slot())
                                    + ")");
                }
            }
            case FLINK_ELT -> {
                Path config = workDir.resolve(db + ".yaml");
                Files.writeString(
                        config,
                        String.join(
                                "\n",
                                "source: { url: '"
                                        + src
                                        + "', username: postgres, tables: ["
                                        + BenchTable.SCHEMA
                                        + "."
                                        + BenchTable.NAME
                                        + "],"
                                        + " slot: "
                                        + slot()
                                        + ", publication: "
                                        + slot()
                                        + " }",
                                "target: { url: '"
                                        + tgt
                                        + "', username: postgres, raw-schema: raw }",
                                "pipeline: { parallelism: "
                                        + contender.parallelism()
                                        + ", checkpoint-interval: "
                                        + contender.checkpointInterval().toSeconds()
                                        + "s, checkpoint-dir: '"
                                        + workDir.resolve("checkpoints-" + db).toUri()
                                        + "'"
                                        + (contender.snapshotReaders() > 1
                                                ? ", snapshot-readers: "
                                                        + contender.snapshotReaders()
                                                : "")
                                        + options.flinkEltSettings().entrySet().stream()
                                                .map(e -> ", " + e.getKey() + ": " + e.getValue())
                                                .collect(Collectors.joining())
                                        + " }"));
                child =
                        jvm(
                                contender.jar(),
                                List.of(
                                        Main.class.getName(),
                                        "extract-load",
                                        "--config",
                                        config.toString()));
            }
        }
        return child;
    }

    private Process jvm(List<String> mainAndArgs) throws IOException {
        return jvm(null, mainAndArgs);
    }

    private Process jvm(Path jar, List<String> mainAndArgs) throws IOException {
        return jvm(jar, mainAndArgs, log);
    }

    /**
     * Starts one more JVM of this run (a workload with several processes, e.g. extract-load and
     * transform) from {@code jar} (null: this build), logging to {@code <db>-<name>.log}; it is
     * checked by {@link #checkAlive} and stopped on close, the last started first.
     */
    Process launch(Path jar, String name, List<String> mainAndArgs) throws IOException {
        Process p =
                jvm(
                        jar,
                        mainAndArgs,
                        setup.options().out().resolve("logs").resolve(db + "-" + name + ".log"));
        launched.add(p);
        return p;
    }

    private Process jvm(Path jar, List<String> mainAndArgs, Path logFile) throws IOException {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx2g",
                                "-Duser.timezone=UTC"));
        cmd.addAll(setup.options().jvmOptions());
        cmd.addAll(
                List.of(
                        "-cp",
                        jar == null ? System.getProperty("java.class.path") : jar.toString()));
        cmd.addAll(mainAndArgs);
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
    }

    /** Fails if the contender's JVM ended with an error. */
    void checkAlive() throws IOException {
        for (Process p : launched) {
            if (!p.isAlive()) { // a transform or extract-load never ends by itself
                throw new IllegalStateException(
                        "a JVM of "
                                + db
                                + " exited with "
                                + p.exitValue()
                                + "; see "
                                + setup.options().out().resolve("logs")
                                + "/"
                                + db
                                + "-*.log");
            }
        }
        if (child != null && !child.isAlive() && child.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException(
                    contender.label()
                            + " exited with "
                            + child.exitValue()
                            + "; last lines of "
                            + log
                            + ":\n"
                            + String.join(
                                    "\n",
                                    lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
    }

    boolean exited() {
        return child != null && !child.isAlive();
    }

    /**
     * Whether the target relation holds at least {@code rows} rows. An exact count scans the whole
     * table, and a poll four times a second of a table of millions of rows loaded the warehouse the
     * contender writes to (parallel workers outside the harness's own backend were even counted as
     * the contender's CPU); so the server's insert statistics are asked first, and the exact count
     * is made once they reach {@code rows}, or every 5 s (aborted inserts count there too, and
     * statistics lag).
     */
    boolean hasRows(long rows) throws SQLException {
        if (inserted() < rows && System.nanoTime() < nextExactCount) {
            return false;
        }
        nextExactCount = System.nanoTime() + 5_000_000_000L;
        return count() >= rows;
    }

    /** Rows in the target relation (0 until the contender has created it). */
    long count() throws SQLException {
        return targetExists()
                ? queryLong(target, "SELECT count(*) FROM " + contender.targetRelation())
                : 0;
    }

    /** Rows inserted into the target relation by any transaction, by the server's statistics. */
    private long inserted() throws SQLException {
        return targetExists()
                ? queryLong(
                        target,
                        "SELECT coalesce(pg_stat_get_tuples_inserted(to_regclass("
                                + Identifiers.literal(contender.targetRelation())
                                + ")), 0)")
                : 0;
    }

    private boolean targetExists() throws SQLException {
        if (!targetExists) {
            targetExists =
                    queryLong(
                                    target,
                                    "SELECT count(to_regclass("
                                            + Identifiers.literal(contender.targetRelation())
                                            + "))")
                            > 0;
        }
        return targetExists;
    }

    static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The commit time (µs since the epoch) of the newest row version on the target. */
    long lastCommitMicros() throws SQLException {
        return queryLong(
                target,
                "SELECT (extract(epoch FROM max("
                        + contender.visibleAt()
                        + ")) * 1000000)::bigint FROM "
                        + contender.targetRelation());
    }

    @Override
    public void close() throws Exception {
        for (int i = launched.size() - 1; i >= 0; i--) {
            stop(launched.get(i));
        }
        if (child != null) {
            stop(child);
        }
        cleanUp();
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }

    private void cleanUp() throws Exception {
        try (Statement st = target.createStatement()) {
            if (contender.kind() == Contender.Kind.LOGICAL_REPLICATION) {
                st.execute("DROP SUBSCRIPTION IF EXISTS " + Identifiers.quote(slot()));
            }
            List<String> prepared = new ArrayList<>();
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT gid FROM pg_prepared_xacts WHERE database = current_database()")) {
                while (rs.next()) {
                    prepared.add(rs.getString(1));
                }
            }
            for (String gid : prepared) {
                st.execute("ROLLBACK PREPARED " + Identifiers.literal(gid));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Statement st = source.createStatement()) {
            while (queryLong(
                            source,
                            "SELECT count(*) FROM pg_replication_slots WHERE database = current_database()")
                    > 0) {
                st.execute(
                        "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = current_database() AND active");
                st.execute(
                        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = current_database() AND NOT active");
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "replication slots of " + db + " still active after 60 s");
                }
                Thread.sleep(200);
            }
        }
        source.close();
        target.close();
        exec(setup.source(), "DROP DATABASE " + Identifiers.quote(db) + " WITH (FORCE)");
        exec(setup.target(), "DROP DATABASE " + Identifiers.quote(db) + " WITH (FORCE)");
    }
}
