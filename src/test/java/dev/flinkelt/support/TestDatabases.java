package dev.flinkelt.support;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.demo.PgServer;
import dev.flinkelt.pg.Connections;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A fresh source database, warehouse database and slot name for one test, plus SQL helpers. */
public final class TestDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    public final String name;
    public final PgServer source;
    public final PgServer warehouse;

    public TestDatabases(String prefix) throws SQLException {
        this(prefix, TestServers.source(), TestServers.warehouse());
    }

    /**
     * On servers of the test's own (restartable ones: their port and data stay the same across a
     * restart).
     */
    public TestDatabases(String prefix, PgServer source, PgServer warehouse) throws SQLException {
        this.source = source;
        this.warehouse = warehouse;
        this.name = prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        source.createDatabase(name);
        warehouse.createDatabase(name);
    }

    /**
     * The pipeline YAML for this test's databases; {@code extra} lines go into the pipeline
     * section.
     */
    public String yaml(String tables, int parallelism) {
        return String.join(
                "\n",
                "source:",
                "  url: " + source.url(name),
                "  username: postgres",
                "  tables: " + tables,
                "  slot: " + name,
                "  publication: " + name,
                "target:",
                "  url: " + warehouse.url(name),
                "  username: postgres",
                "pipeline:",
                "  parallelism: " + parallelism,
                "  checkpoint-interval: 1s",
                "  checkpoint-dir: file://"
                        + System.getProperty("java.io.tmpdir")
                        + "/flink-elt-it/"
                        + name,
                "  restart-attempts: 8",
                "  restart-delay: 200ms",
                "  restart-max-delay: 2s",
                "  snapshot-chunk-size: 4000");
    }

    public PipelineConfig config(String tables, int parallelism) {
        return PipelineConfig.parse(yaml(tables, parallelism), Map.of());
    }

    public Connection src() throws SQLException {
        Connection c = source.connect(name);
        utc(c);
        return c;
    }

    /** A source connection as {@code role} (the test servers trust local logins). */
    public Connection srcAs(String role) throws SQLException {
        Connection c = DriverManager.getConnection(source.url(name), role, "");
        utc(c);
        return c;
    }

    public Connection dst() throws SQLException {
        Connection c = warehouse.connect(name);
        utc(c);
        return c;
    }

    private static void utc(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
        }
    }

    public static void exec(Connection c, String... sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /** Rows in {@code raw."<rawTable>"}; 0 while extract-load has not created it yet. */
    public static long rawRows(Connection dst, String rawTable) throws SQLException {
        return count(
                                dst,
                                "SELECT count(*) FROM pg_tables WHERE schemaname = 'raw' AND tablename = '"
                                        + rawTable.replace("'", "''")
                                        + "'")
                        == 0
                ? 0
                : count(dst, "SELECT count(*) FROM raw.\"" + rawTable.replace("\"", "\"\"") + "\"");
    }

    public static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Each row of {@code sql} as its columns joined with '|'. */
    public static List<String> rows(Connection c, String sql) throws SQLException {
        return Connections.rows(c, sql);
    }

    /**
     * Rolls back what a killed or cancelled process of this test left prepared in its warehouse
     * database: nothing resumes it, and prepared transactions hold back every logical slot created
     * on the shared server.
     */
    public void rollBackPreparedTransactions() throws SQLException {
        try (Connection c = dst()) {
            for (String gid :
                    rows(
                            c,
                            "SELECT gid FROM pg_prepared_xacts WHERE database = current_database()")) {
                exec(c, "ROLLBACK PREPARED '" + gid.replace("'", "''") + "'");
            }
        }
    }

    public long preparedTransactions() throws SQLException {
        try (Connection c = dst()) {
            return count(
                    c,
                    "SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()");
        }
    }
}
