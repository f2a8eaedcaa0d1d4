package dev.flinkelt.support;

import dev.flinkelt.demo.PgServer;
import java.io.IOException;
import java.io.UncheckedIOException;

/** One source and one warehouse PostgreSQL server per test JVM; each test makes its own databases and slot. */
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
            // the warehouse: streaming transforms create slots there while it is written to (see checkpointEvery)
            return isSource ? PgServer.source() : PgServer.warehouse().checkpointEvery(java.time.Duration.ofSeconds(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
