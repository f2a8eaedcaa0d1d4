package dev.flinkelt.bench;

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

/**
 * One contender's run: a fresh source database copied from a template, an empty target database, the contender
 * started against them, and everything it left (process, subscription, slots, prepared transactions, databases)
 * removed on close so the next contender starts from the same state.
 */
final class BenchRun implements AutoCloseable {
    final Contender contender;
    final String db;
    final Connection source;
    final Connection target;
    final Set<Long> harnessBackends = new HashSet<>();
    private final PgServer sourceServer;
    private final PgServer targetServer;
    private final Path log;
    private Process child;
    private List<String> jvmOptions = List.of();

    BenchRun(PgServer sourceServer, PgServer targetServer, Contender contender, String db, String template, Path logDir) throws SQLException {
        this.sourceServer = sourceServer;
        this.targetServer = targetServer;
        this.contender = contender;
        this.db = db;
        this.log = logDir.resolve(db + "-" + contender.label() + ".log");
        exec(sourceServer, "postgres", "CREATE DATABASE \"" + db + "\" TEMPLATE \"" + template + "\"");
        exec(targetServer, "postgres", "CREATE DATABASE \"" + db + "\"");
        this.source = sourceServer.connect(db);
        this.target = targetServer.connect(db);
        harnessBackends.add(backendPid(source));
        harnessBackends.add(backendPid(target));
        if (!contender.keepsChanges()) {
            BenchTable.create(target);
        }
        if (contender.kind() == Contender.Kind.LOGICAL_REPLICATION) {
            try (Statement st = target.createStatement()) {
                st.execute("ALTER TABLE " + BenchTable.QUALIFIED + " ADD COLUMN _seen timestamptz DEFAULT clock_timestamp()");
                st.execute("CREATE FUNCTION bench.seen() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN NEW._seen := clock_timestamp(); RETURN NEW; END'");
                st.execute("CREATE TRIGGER seen BEFORE UPDATE ON " + BenchTable.QUALIFIED + " FOR EACH ROW EXECUTE FUNCTION bench.seen()");
                st.execute("ALTER TABLE " + BenchTable.QUALIFIED + " ENABLE ALWAYS TRIGGER seen"); // the apply worker fires only these
            }
        }
    }

    static long backendPid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void exec(PgServer server, String database, String sql) throws SQLException {
        try (Connection c = server.connect(database); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    String slot() {
        return "bench_" + db;
    }

    /** Starts the contender; returns its JVM, or null when it runs inside the servers (logical replication). */
    Process start(BenchOptions options) throws Exception {
        jvmOptions = options.jvmOptions();
        double perRowSeconds = options.perRowSeconds();
        Path workDir = options.out();
        String src = sourceServer.url(db);
        String tgt = targetServer.url(db);
        switch (contender.kind()) {
            case COPY -> child = jvm(List.of(ContenderMain.class.getName(), "copy", src, tgt));
            case PER_ROW -> child = jvm(List.of(ContenderMain.class.getName(), "per-row", src, tgt, String.valueOf(perRowSeconds)));
            case FLINK_SQL -> {
                // its default changelog mode refuses updates and deletes without the old row ("please check the
                // Postgres table has been set REPLICA IDENTITY to FULL"): users do what the message says
                try (Statement st = source.createStatement()) {
                    st.execute("ALTER TABLE " + BenchTable.QUALIFIED + " REPLICA IDENTITY FULL");
                }
                child = jvm(List.of(ContenderMain.class.getName(), "flink-sql", "127.0.0.1", String.valueOf(sourceServer.port()), db,
                    tgt + "?stringtype=unspecified", slot(), String.valueOf(contender.parallelism())));
            }
            case LOGICAL_REPLICATION -> {
                try (Statement st = source.createStatement()) {
                    st.execute("CREATE PUBLICATION \"" + slot() + "\" FOR TABLE " + BenchTable.QUALIFIED);
                }
                try (Statement st = target.createStatement()) {
                    st.execute("CREATE SUBSCRIPTION \"" + slot() + "\" CONNECTION 'host=127.0.0.1 port=" + sourceServer.port() + " dbname=" + db
                            + " user=postgres' PUBLICATION \"" + slot() + "\" WITH (copy_data = true, slot_name = '" + slot() + "')");
                }
            }
            case FLINK_ELT -> {
                Path config = workDir.resolve(db + ".yaml");
                Files.writeString(config, String.join("\n",
                        "source: { url: '" + src + "', username: postgres, tables: [" + BenchTable.SCHEMA + "." + BenchTable.NAME + "],"
                                + " slot: " + slot() + ", publication: " + slot() + " }",
                        "target: { url: '" + tgt + "', username: postgres, raw-schema: raw }",
                        "pipeline: { parallelism: " + contender.parallelism() + ", checkpoint-interval: " + contender.checkpointInterval().toSeconds()
                                + "s, checkpoint-dir: '" + workDir.resolve("checkpoints-" + db).toUri() + "'"
                                + options.flinkEltSettings().entrySet().stream().map(e -> ", " + e.getKey() + ": " + e.getValue()).collect(java.util.stream.Collectors.joining())
                                + " }"));
                child = jvm(contender.jar(), List.of(dev.flinkelt.cli.Main.class.getName(), "extract-load", "--config", config.toString()));
            }
        }
        return child;
    }

    private Process jvm(List<String> mainAndArgs) throws IOException {
        return jvm(null, mainAndArgs);
    }

    private Process jvm(Path jar, List<String> mainAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g", "-Duser.timezone=UTC"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", jar == null ? System.getProperty("java.class.path") : jar.toString()));
        cmd.addAll(mainAndArgs);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Fails if the contender's JVM ended with an error. */
    void checkAlive() throws IOException {
        if (child != null && !child.isAlive() && child.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException(contender.label() + " exited with " + child.exitValue() + "; last lines of " + log + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
    }

    boolean exited() {
        return child != null && !child.isAlive();
    }

    /** Rows in the target relation (0 until the contender has created it). */
    long count() throws SQLException {
        if (queryLong(target, "SELECT count(*) FROM pg_class WHERE oid = to_regclass('" + contender.targetRelation().replace("'", "''") + "')") == 0) {
            return 0;
        }
        return queryLong(target, "SELECT count(*) FROM " + contender.targetRelation());
    }

    static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The commit time (µs since the epoch) of the newest row version on the target. */
    long lastCommitMicros(String where) throws SQLException {
        return queryLong(target, "SELECT (extract(epoch FROM max(" + contender.visibleAt() + ")) * 1000000)::bigint FROM "
                + contender.targetRelation() + (where == null ? "" : " WHERE " + where));
    }

    @Override
    public void close() throws Exception {
        if (child != null) {
            child.destroy();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor();
            }
        }
        try (Statement st = target.createStatement()) {
            if (contender.kind() == Contender.Kind.LOGICAL_REPLICATION) {
                st.execute("DROP SUBSCRIPTION IF EXISTS \"" + slot() + "\"");
            }
            List<String> prepared = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT gid FROM pg_prepared_xacts WHERE database = current_database()")) {
                while (rs.next()) {
                    prepared.add(rs.getString(1));
                }
            }
            for (String gid : prepared) {
                st.execute("ROLLBACK PREPARED '" + gid.replace("'", "''") + "'");
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Statement st = source.createStatement()) {
            while (queryLong(source, "SELECT count(*) FROM pg_replication_slots WHERE database = current_database()") > 0) {
                st.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = current_database() AND active");
                st.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = current_database() AND NOT active");
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replication slots of " + db + " still active after 60 s");
                }
                Thread.sleep(200);
            }
        }
        source.close();
        target.close();
        exec(sourceServer, "postgres", "DROP DATABASE \"" + db + "\" WITH (FORCE)");
        exec(targetServer, "postgres", "DROP DATABASE \"" + db + "\" WITH (FORCE)");
    }
}
