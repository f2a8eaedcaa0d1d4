package dev.flinkelt.transform;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.config.PipelineException;
import dev.flinkelt.config.TransformSettings;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.Schemas;
import dev.flinkelt.raw.RawNames;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch run's full rebuild. Every warehouse table the job writes goes to an empty staging copy
 * first; when the job has finished, all outputs are replaced by their staging copies in one
 * transaction. Readers see the old outputs until the whole rebuild is complete (rows whose keys
 * disappeared from the raw tables disappear too), and a failed run leaves the outputs as they were.
 */
final class Rebuild {
    static final String SCHEMA = TransformSettings.REBUILD_SCHEMA;
    private final PgEndpoint warehouse;

    /** A target table (schema, name) and its staging table in {@link #SCHEMA}. */
    private record Staged(String[] target, String staging) {}

    /** By the target's quoted name. */
    private final Map<String, Staged> staged = new LinkedHashMap<>();

    Rebuild(PgEndpoint warehouse) {
        this.warehouse = warehouse;
    }

    /**
     * The table to write instead of {@code target}: an empty copy of it (columns, defaults, keys).
     */
    synchronized String[] stage(String[] target) {
        String key = qualified(target);
        Staged existing = staged.get(key);
        if (existing != null) {
            return new String[] {
                SCHEMA, existing.staging()
            }; // the planner may ask again for the same sink
        }
        String name = stagingName(target);
        try (Connection c = Connections.open(warehouse, "target");
                Statement st = c.createStatement()) {
            Schemas.ensure(c, SCHEMA);
            st.execute(
                    "DROP TABLE IF EXISTS " + qualified(SCHEMA, name)); // left by a run that failed
            st.execute(
                    "CREATE TABLE "
                            + qualified(SCHEMA, name)
                            + " (LIKE "
                            + key
                            + " INCLUDING ALL)");
        } catch (SQLException e) {
            throw new PipelineException(
                    "cannot create the staging copy of "
                            + target[0]
                            + "."
                            + target[1]
                            + " for the batch rebuild: "
                            + e.getMessage(),
                    e);
        }
        staged.put(key, new Staged(target, name));
        return new String[] {SCHEMA, name};
    }

    /** Replaces every output by its staging copy, all in one transaction, and drops the copies. */
    synchronized void swap() {
        try (Connection c = Connections.open(warehouse, "target")) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                for (Map.Entry<String, Staged> t : staged.entrySet()) {
                    String from = qualified(SCHEMA, t.getValue().staging());
                    String cols = String.join(", ", writableColumns(c, t.getValue().target()));
                    st.execute("TRUNCATE " + t.getKey());
                    st.execute(
                            "INSERT INTO "
                                    + t.getKey()
                                    + " ("
                                    + cols
                                    + ") OVERRIDING SYSTEM VALUE SELECT "
                                    + cols
                                    + " FROM "
                                    + from);
                    st.execute("DROP TABLE " + from);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new PipelineException(
                    "the batch rebuild finished but replacing the outputs failed (they are unchanged): "
                            + e.getMessage(),
                    e);
        }
    }

    /** Drops the staging copies of a run that failed; the outputs were never touched. */
    synchronized void discard() {
        try (Connection c = Connections.open(warehouse, "target");
                Statement st = c.createStatement()) {
            for (Staged s : staged.values()) {
                st.execute("DROP TABLE IF EXISTS " + qualified(SCHEMA, s.staging()));
            }
        } catch (SQLException | ConfigException e) {
            // the next batch run drops them before it starts; the run's own error is the one to
            // report
        }
    }

    private static List<String> writableColumns(Connection c, String[] table) throws SQLException {
        List<String> cols = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT attname FROM pg_attribute WHERE attrelid = ?::regclass"
                                + " AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum")) {
            ps.setString(1, qualified(table));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.add(Identifiers.quote(rs.getString(1)));
                }
            }
        }
        return cols;
    }

    /**
     * {@code <schema>__<table>}, shortened with a hash when PostgreSQL's 63-byte limit would cut
     * it.
     */
    static String stagingName(String[] target) {
        return RawNames.of(target[0], target[1]); // unique and within 63 bytes, as raw names are
    }

    private static String qualified(String[] t) {
        return qualified(t[0], t[1]);
    }

    private static String qualified(String schema, String table) {
        return Identifiers.quote(schema) + "." + Identifiers.quote(table);
    }
}
