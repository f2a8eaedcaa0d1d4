package dev.flinkelt.support;

import dev.flinkelt.demo.PgServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One source and one warehouse PostgreSQL server per test JVM; each test makes its own databases
 * and slot.
 */
public final class TestServers {
    private static PgServer source;
    private static PgServer warehouse;
    private static PgServer source18;

    private TestServers() {}

    public static synchronized PgServer source() {
        if (source == null) {
            source = start(true);
        }
        return source;
    }

    public static synchronized PgServer warehouse() {
        if (warehouse == null) {
            warehouse = start(false);
        }
        return warehouse;
    }

    /**
     * A source server of PostgreSQL 18 (the binaries the build copies to {@code
     * target/pg-binaries}, named by the failsafe property {@code pg18.binaries}).
     */
    public static synchronized PgServer source18() {
        if (source18 == null) {
            String jar = System.getProperty("pg18.binaries");
            if (jar == null || !Files.isRegularFile(Path.of(jar))) {
                throw new IllegalStateException(
                        "no PostgreSQL 18 binaries at "
                                + jar
                                + ": run the integration tests with mvn verify (its"
                                + " pre-integration-test phase copies them)");
            }
            try {
                source18 = PgServer.start(PgServer.sourceSettings(), Path.of(jar));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return source18;
    }

    private static PgServer start(boolean isSource) {
        try {
            // every test leaves its slots behind (one server serves the whole run): room for all of
            // them
            Map<String, String> settings =
                    new HashMap<>(
                            isSource ? PgServer.sourceSettings() : PgServer.warehouseSettings());
            if (isSource) {
                settings.put("max_replication_slots", "100");
                settings.put("max_wal_senders", "100");
            }
            return PgServer.start(settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
