package dev.flinkelt.raw;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.TableRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tables a pipeline paused because one of their changes could not be loaded (a type the
 * warehouse cannot have, DDL it refuses, a table the source will not let it read): their rows stop
 * at the pause while every other table goes on. Recorded in the warehouse ({@code raw._paused}), so
 * every stage, {@code status} and {@code verify} see the same. {@code resnapshot --table} resumes
 * one: its raw rows end at the resumption (a {@code t} row) and a new snapshot follows.
 */
public final class PausedTables {
    /**
     * One paused table; {@code resumedAt} is the stream position it was resumed at, or -1 while
     * paused.
     */
    public record Pause(
            TableRef table, long sinceLsn, String sqlstate, String reason, long resumedAt) {
        public boolean paused() {
            return resumedAt < 0;
        }
    }

    private PausedTables() {}

    private static String table(String rawSchema) {
        return Identifiers.quote(rawSchema) + "." + Identifiers.quote(RawTables.PAUSED);
    }

    /**
     * Records {@code source} as paused since {@code lsn}; a table paused already keeps its first
     * record, and one resumed above {@code lsn} stays resumed: a keyed subtask that meets a row of
     * before the resumption late (its rows are superseded by the resumption's {@code t} row and new
     * snapshot) must not pause it again. {@code reason} must hold no row value.
     */
    public static void pause(
            Connection warehouse,
            String rawSchema,
            TableRef source,
            long lsn,
            String sqlstate,
            String reason)
            throws SQLException {
        try (PreparedStatement ps =
                warehouse.prepareStatement(
                        "INSERT INTO "
                                + table(rawSchema)
                                + " AS p (raw_table, source_table, since_lsn, sqlstate, reason) VALUES (?, ?, ?, ?, ?)"
                                + " ON CONFLICT (raw_table) DO UPDATE SET source_table = EXCLUDED.source_table,"
                                + " since_lsn = EXCLUDED.since_lsn, sqlstate = EXCLUDED.sqlstate, reason = EXCLUDED.reason,"
                                + " paused_at = now(), resumed_at_lsn = NULL"
                                + " WHERE p.resumed_at_lsn IS NOT NULL AND p.resumed_at_lsn <= EXCLUDED.since_lsn")) {
            ps.setString(1, RawNames.of(source));
            ps.setString(2, source.dotted());
            ps.setLong(3, lsn);
            ps.setString(4, sqlstate);
            ps.setString(5, reason);
            ps.executeUpdate();
        }
    }

    /**
     * Marks {@code source} resumed at stream position {@code lsn}; false when it was not paused.
     */
    public static boolean resume(Connection warehouse, String rawSchema, TableRef source, long lsn)
            throws SQLException {
        try (PreparedStatement ps =
                warehouse.prepareStatement(
                        "UPDATE "
                                + table(rawSchema)
                                + " SET resumed_at_lsn = ? WHERE raw_table = ? AND resumed_at_lsn IS NULL")) {
            ps.setLong(1, lsn);
            ps.setString(2, RawNames.of(source));
            return ps.executeUpdate() > 0;
        }
    }

    /** Every table recorded, paused or resumed, by its text ({@link TableRef#dotted}). */
    public static Map<String, Pause> read(Connection warehouse, String rawSchema)
            throws SQLException {
        Map<String, Pause> out = new LinkedHashMap<>();
        try (PreparedStatement ps = warehouse.prepareStatement("SELECT to_regclass(?) IS NULL")) {
            ps.setString(1, table(rawSchema));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return out; // made by the first start of this version
                }
            }
        }
        try (PreparedStatement ps =
                warehouse.prepareStatement(
                        "SELECT source_table, since_lsn, sqlstate, reason, coalesce(resumed_at_lsn, -1) FROM "
                                + table(rawSchema)
                                + " ORDER BY 1")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableRef t = TableRef.parse(rs.getString(1));
                    out.put(
                            t.dotted(),
                            new Pause(
                                    t,
                                    rs.getLong(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getLong(5)));
                }
            }
        }
        return out;
    }
}
