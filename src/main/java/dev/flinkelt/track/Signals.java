package dev.flinkelt.track;

import dev.flinkelt.config.SignalChannel;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.extract.PgOutputSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * How a pipeline is told things in the order of its change stream: a re-snapshot request ({@code
 * flink-elt resnapshot}), a table to capture (found by {@link Discovery}), and the low and high
 * marks around each chunk a one-table snapshot reads ({@link Snapshotter}). Each signal is a
 * transactional logical decoding message (prefix {@value PgOutputSource#MESSAGE_PREFIX}, content a
 * JSON object), which leaves nothing behind in the source; or, with {@code source.signals: table},
 * a row of the signal table. Signals carry the slot of the pipeline they are for, so pipelines
 * sharing a source do not act on each other's.
 */
public final class Signals {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A table of the first snapshot ({@code arg}: the lowest {@code _lsn} its rows may take, the
     * slot's start).
     */
    public static final String SNAPSHOT = "snapshot";

    public static final String RESNAPSHOT = "resnapshot";
    public static final String CAPTURE = "capture";
    public static final String LOW = "low";
    public static final String HIGH = "high";

    /**
     * {@code arg} of a capture into a raw table that holds rows of an earlier table of the same
     * name.
     */
    static final String RECAPTURE = "recapture";

    private Signals() {}

    /**
     * One signal as the change stream delivers it; {@code commitLsn}: where its transaction commits
     * (0 when not known).
     */
    public record Signal(
            String slot,
            String kind,
            String table,
            String arg,
            long lsn,
            long txId,
            long sourceTsMicros,
            long commitLsn) {}

    public static String createStatement(TableRef signal) {
        return "CREATE TABLE IF NOT EXISTS "
                + signal.quoted()
                + " (\"id\" bigserial PRIMARY KEY, \"slot\" text NOT NULL,"
                + " \"kind\" text NOT NULL, \"tbl\" text, \"arg\" text, \"created_at\" timestamptz NOT NULL DEFAULT now())";
    }

    /**
     * Makes the signal's commit flush the WAL where the server runs {@code synchronous_commit =
     * off}: the WAL sender sees a commit only once it is flushed, which the WAL writer otherwise
     * does every {@code wal_writer_delay} (200 ms), and a snapshot window waits for its marks.
     * {@code local} waits for no standby.
     */
    private static final String FLUSHED =
            " FROM (SELECT CASE WHEN current_setting('synchronous_commit') = 'off'"
                    + " THEN set_config('synchronous_commit', 'local', true) END) flushed";

    /** Sends a signal (at once, unless the connection is in a transaction). */
    public static void send(
            Connection conn,
            SignalChannel channel,
            String slot,
            String kind,
            String table,
            String arg)
            throws SQLException {
        if (channel.messages()) {
            ObjectNode o = JSON.createObjectNode();
            o.put("slot", slot).put("kind", kind).put("table", table).put("arg", arg);
            try (PreparedStatement ps =
                    conn.prepareStatement(
                            "SELECT pg_logical_emit_message(true, ?, convert_to(?, 'UTF8'))"
                                    + FLUSHED)) {
                ps.setString(1, PgOutputSource.MESSAGE_PREFIX);
                ps.setString(2, o.toString());
                ps.executeQuery().close();
            }
            return;
        }
        TableRef signal = channel.table();
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "INSERT INTO "
                                + signal.quoted()
                                + " (\"slot\", \"kind\", \"tbl\", \"arg\") SELECT ?, ?, ?, ?"
                                + FLUSHED)) {
            ps.setString(1, slot);
            ps.setString(2, kind);
            ps.setString(3, table);
            ps.setString(4, arg);
            ps.executeUpdate();
        }
    }

    /** Removes the marks of a finished chunk window (messages leave none). */
    static void forget(Connection conn, SignalChannel channel, String slot, List<String> args)
            throws SQLException {
        if (channel.messages()) {
            return;
        }
        TableRef signal = channel.table();
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "DELETE FROM "
                                + signal.quoted()
                                + " WHERE \"slot\" = ? AND \"arg\" = ANY (?)")) {
            ps.setString(1, slot);
            ps.setArray(2, conn.createArrayOf("text", args.toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * Removes every chunk mark and request of {@code table} (its snapshot is done; a request made
     * meanwhile joined it).
     */
    static void forgetTable(Connection conn, SignalChannel channel, String slot, String table)
            throws SQLException {
        if (channel.messages()) {
            return;
        }
        TableRef signal = channel.table();
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "DELETE FROM "
                                + signal.quoted()
                                + " WHERE \"slot\" = ? AND \"tbl\" = ?"
                                + " AND \"kind\" IN ('"
                                + LOW
                                + "', '"
                                + HIGH
                                + "', '"
                                + SNAPSHOT
                                + "', '"
                                + RESNAPSHOT
                                + "', '"
                                + CAPTURE
                                + "')")) {
            ps.setString(1, slot);
            ps.setString(2, table);
            ps.executeUpdate();
        }
    }

    /**
     * The signal a message or an insert into the signal table carries (its values by column name),
     * or null for any other change.
     */
    static Signal of(ChangeEvent e) {
        if (e.op == ChangeEvent.MESSAGE) {
            return ofMessage(e);
        }
        if (e.op != ChangeEvent.INSERT || e.columns == null) {
            return null;
        }
        return new Signal(
                value(e, "slot"),
                value(e, "kind"),
                value(e, "tbl"),
                value(e, "arg"),
                e.lsn,
                e.txId,
                e.sourceTsMicros,
                e.seq);
    }

    private static String value(ChangeEvent e, String column) {
        for (int i = 0; i < e.columns.length; i++) {
            if (e.columns[i].equals(column)) {
                return e.values[i];
            }
        }
        return null;
    }

    private static Signal ofMessage(ChangeEvent e) {
        JsonNode o;
        try {
            o = JSON.readTree(e.values[0]);
        } catch (IOException x) {
            return null; // not one of ours (another program uses the prefix)
        }
        if (o == null || !o.isObject()) {
            return null;
        }
        return new Signal(
                text(o, "slot"),
                text(o, "kind"),
                text(o, "table"),
                text(o, "arg"),
                e.lsn,
                e.txId,
                e.sourceTsMicros,
                e.seq);
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
