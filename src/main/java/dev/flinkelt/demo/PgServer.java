package dev.flinkelt.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A real PostgreSQL server on a free loopback port, from the binaries shipped in the jar (no install, works as root).
 * Used by the demo and by the integration tests.
 */
public final class PgServer implements AutoCloseable {
    public static final String USER = "postgres";

    private final EmbeddedPostgres pg;

    private PgServer(EmbeddedPostgres pg) {
        this.pg = pg;
    }

    /** A source server: logical decoding on, room for replication slots. */
    public static PgServer source() throws IOException {
        return start(Map.of("wal_level", "logical", "max_replication_slots", "20", "max_wal_senders", "20"));
    }

    /** A warehouse server: two-phase commit on; logical decoding on for the streaming transform. */
    public static PgServer warehouse() throws IOException {
        return start(Map.of("max_prepared_transactions", "100", "wal_level", "logical", "max_replication_slots", "20", "max_wal_senders", "20"));
    }

    public static PgServer start(Map<String, String> settings) throws IOException {
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                .setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "on")
                .setPGStartupWait(java.time.Duration.ofSeconds(60));
        settings.forEach(b::setServerConfig);
        return new PgServer(b.start());
    }

    public int port() {
        return pg.getPort();
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), USER, "");
    }

    public void createDatabase(String name) throws SQLException {
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
        }
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
