package dev.flinkelt.support;

import dev.flinkelt.demo.PgServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One source and one warehouse PostgreSQL server per test JVM; each test makes its own databases
 * and slot.
 */
public final class TestServers {
    private static PgServer source;
    private static PgServer warehouse;

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
