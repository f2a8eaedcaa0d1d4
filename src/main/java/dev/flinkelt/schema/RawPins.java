package dev.flinkelt.schema;

import dev.flinkelt.pg.SqlErrors;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Keeps raw tables' columns as they are for a while: one open transaction holding {@code ACCESS
 * SHARE} locks, which every {@code ALTER TABLE} (of any subtask, made under {@code ACCESS
 * EXCLUSIVE}) waits for, while reads and the sink's writes go on. The keyed stage pins a table
 * before it lets rows out that it held: such a row may reach the sink after a barrier that another
 * subtask's type change waits for, so without the pin its values, converted for the raw column's
 * type of now, could be written after the column changed type again (see the keyed stage).
 *
 * <p>The transaction takes no snapshot between statements and writes nothing, so it holds back no
 * vacuum; it lasts until a checkpoint after the rows completes (one interval or two).
 */
final class RawPins implements AutoCloseable {
    private final Supplier<Connection> connect;
    private Connection conn;
    private final Set<String> pinned = new HashSet<>();

    RawPins(Supplier<Connection> connect) {
        this.connect = connect;
    }

    /**
     * Pins {@code rawTable} (quoted) until {@link #unpinAll}; false when DDL holds it or waits for
     * it now: try again later. Pins taken before stay either way.
     */
    boolean pin(String rawTable) throws SQLException {
        if (pinned.contains(rawTable)) {
            return true;
        }
        if (conn == null) {
            conn = connect.get();
            try (Statement st = conn.createStatement()) {
                // a pin must not queue behind a waiting ALTER: that would stall the keyed stage
                st.execute("SET lock_timeout = '" + SchemaChanges.LOCK_TIMEOUT + "'");
                // the session idles in its transaction between pins by design: a server-wide
                // timeout ending it would end the pins unseen
                st.execute("SET idle_in_transaction_session_timeout = 0");
            }
            conn.setAutoCommit(false);
        }
        try (Statement st = conn.createStatement()) {
            st.execute("SAVEPOINT pin");
            try {
                st.execute("LOCK TABLE " + rawTable + " IN ACCESS SHARE MODE");
            } catch (SQLException e) {
                // a failed statement aborts the transaction: back to before it, earlier pins kept
                st.execute("ROLLBACK TO SAVEPOINT pin");
                if (pinned.isEmpty()) {
                    conn.rollback(); // no transaction left open for nothing
                }
                if (SqlErrors.LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    return false;
                }
                throw e; // the raw table is gone (dropped by hand), say: its table pauses
            }
            st.execute("RELEASE SAVEPOINT pin");
        }
        pinned.add(rawTable);
        return true;
    }

    /** Ends every pin. */
    void unpinAll() throws SQLException {
        if (conn != null && !pinned.isEmpty()) {
            conn.commit();
        }
        pinned.clear();
    }

    @Override
    public void close() throws SQLException {
        pinned.clear();
        if (conn != null) {
            conn.close(); // rolls back: the locks go with the session
            conn = null;
        }
    }
}
