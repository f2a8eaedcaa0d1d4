package dev.flinkelt.track;

import dev.flinkelt.config.TableRef;
import dev.flinkelt.extract.ChangeEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The source table through which a pipeline is told things in the order of its change stream: a
 * re-snapshot request ({@code flink-elt resnapshot}), a table to capture (found by {@link
 * Discovery}), and the low and high marks around each chunk a one-table snapshot reads ({@link
 * Snapshotter}). Rows carry the slot of the pipeline they are for, so pipelines sharing a source do
 * not act on each other's signals.
 */
public final class Signals {
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

    /** One signal as the change stream delivers it. */
    public record Signal(
            String slot,
            String kind,
            String table,
            String arg,
            long lsn,
            long txId,
            long sourceTsMicros) {}

    public static String createStatement(TableRef signal) {
        return "CREATE TABLE IF NOT EXISTS "
                + signal.quoted()
                + " (\"id\" bigserial PRIMARY KEY, \"slot\" text NOT NULL,"
                + " \"kind\" text NOT NULL, \"tbl\" text, \"arg\" text, \"created_at\" timestamptz NOT NULL DEFAULT now())";
    }

    /** Writes a signal (autocommit, unless the connection is in a transaction). */
    public static void send(
            Connection conn, TableRef signal, String slot, String kind, String table, String arg)
            throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "INSERT INTO "
                                + signal.quoted()
                                + " (\"slot\", \"kind\", \"tbl\", \"arg\") VALUES (?, ?, ?, ?)")) {
            ps.setString(1, slot);
            ps.setString(2, kind);
            ps.setString(3, table);
            ps.setString(4, arg);
            ps.executeUpdate();
        }
    }

    /** Removes the marks of a finished chunk window. */
    static void forget(Connection conn, TableRef signal, String slot, List<String> args)
            throws SQLException {
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
    static void forgetTable(Connection conn, TableRef signal, String slot, String table)
            throws SQLException {
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
     * The signal an insert into the signal table carries (its values by column name), or null for
     * any other change.
     */
    static Signal of(ChangeEvent e) {
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
                e.sourceTsMicros);
    }

    private static String value(ChangeEvent e, String column) {
        for (int i = 0; i < e.columns.length; i++) {
            if (e.columns[i].equals(column)) {
                return e.values[i];
            }
        }
        return null;
    }
}
