package dev.flinkelt.track;

import dev.flinkelt.config.SignalChannel;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.support.TestDatabases;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static dev.flinkelt.support.TestDatabases.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signal reaches the change stream at its commit also on a server that commits asynchronously
 * (the embedded servers run {@code synchronous_commit = off}, as some production ones do): the WAL
 * sender only sends what is flushed, and a snapshot window waits for its marks.
 */
class SignalsITCase {
    @ParameterizedTest(name = "messages: {0}")
    @ValueSource(booleans = {true, false})
    void aSignalIsFlushedAtItsCommitWhenTheServerCommitsAsynchronously(boolean messages)
            throws Exception {
        TestDatabases db = new TestDatabases("signals" + (messages ? "m" : "t"));
        TableRef table = new TableRef("public", "flink_elt_signals");
        try (Connection src = db.src()) {
            exec(src, Signals.createStatement(table));
            assertThat(text(src, "SHOW synchronous_commit")).isEqualTo("off");
            SignalChannel channel = new SignalChannel(messages, table);
            for (int i = 0; i < 5; i++) {
                long before = lsn(src, "pg_current_wal_insert_lsn()");
                Signals.send(src, channel, "slot", Signals.LOW, "public.t", "window-" + i);
                assertThat(lsn(src, "pg_current_wal_flush_lsn()"))
                        .as("WAL flushed past the signal's commit (signal %d)", i)
                        .isGreaterThan(before);
            }
            assertThat(text(src, "SHOW synchronous_commit"))
                    .as("the session's own setting is left as it was")
                    .isEqualTo("off");
        }
    }

    private static long lsn(Connection c, String function) throws Exception {
        return Long.parseLong(text(c, "SELECT (" + function + " - '0/0')::bigint"));
    }

    private static String text(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
