package dev.flinkelt.track;

import dev.flinkelt.pg.TableSchema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Chooses the snapshot window size. Every window costs a round trip through the change stream (its
 * low and high marks), so small windows make the snapshot slow. But the window's rows wait in
 * memory, and in every checkpoint taken meanwhile, until its high mark arrives, so windows must
 * stay small for wide rows. Auto: as many rows of the widest captured table (its average size as
 * text over a sample) as fit in {@link #CHUNK_BYTES}, within [{@link #MIN_ROWS}, {@link
 * #MAX_ROWS}].
 */
public final class SnapshotChunks {
    static final long CHUNK_BYTES = 16L * 1024 * 1024;
    static final int MIN_ROWS = 1024;
    static final int MAX_ROWS = 65_536;
    static final int SAMPLE_ROWS = 1000;

    private SnapshotChunks() {}

    /**
     * Rows per chunk for rows of {@code averageRowBytes} (0 or less: no sample, use the largest
     * chunk).
     */
    static int forRowWidth(double averageRowBytes) {
        if (averageRowBytes <= 0) {
            return MAX_ROWS;
        }
        return (int) Math.max(MIN_ROWS, Math.min(MAX_ROWS, CHUNK_BYTES / averageRowBytes));
    }

    /** The chunk size for {@code tables}: from the configured size, or auto when it is 0. */
    public static int choose(Connection conn, List<TableSchema> tables, int configured)
            throws SQLException {
        if (configured > 0) {
            return configured;
        }
        double widest = 0;
        try (Statement st = conn.createStatement()) {
            for (TableSchema t : tables) {
                // the row as text: the size it has in the pipeline (TOASTed values read in full,
                // unlike pg_column_size)
                try (ResultSet rs =
                        st.executeQuery(
                                "SELECT avg(octet_length(s::text)) FROM (SELECT * FROM "
                                        + t.ref().quoted()
                                        + " LIMIT "
                                        + SAMPLE_ROWS
                                        + ") s")) {
                    if (rs.next()) {
                        widest = Math.max(widest, rs.getDouble(1));
                    }
                }
            }
        }
        return forRowWidth(widest);
    }
}
