package dev.flinkelt.transform.mirror;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.raw.RawTable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How rows of one raw table are written to its mirror. Every write is guarded by the version the
 * mirror row holds: an upsert or delete only applies when it is newer by {@code (_lsn, _seq)}, so
 * replays after a restart and a fresh start into a filled mirror change nothing that is already
 * right.
 */
final class MirrorTable {
    private static final String NEWER = "(\"_lsn\" IS NULL OR (\"_lsn\", \"_seq\") < (?, ?))";

    final RawTable raw;
    final String target;
    final int[] key;
    private final boolean soft;
    private final String upsert;
    private final String delete;
    private final String truncate;

    MirrorTable(RawTable raw, String target, boolean soft) {
        this.raw = raw;
        this.target = target;
        this.soft = soft;
        this.key = raw.source().keyIndexes();
        List<String> cols =
                raw.source().columnNames().stream()
                        .map(Identifiers::quote)
                        .collect(Collectors.toList());
        cols.add("\"_lsn\"");
        cols.add("\"_seq\"");
        if (soft) {
            cols.add("\"_deleted\"");
            cols.add("\"_deleted_at\"");
        }
        String keyCols =
                raw.source().keyColumns().stream()
                        .map(Identifiers::quote)
                        .collect(Collectors.joining(", "));
        String set =
                cols.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        this.upsert =
                "INSERT INTO "
                        + target
                        + " AS cur ("
                        + String.join(", ", cols)
                        + ") VALUES ("
                        + cols.stream().map(c -> "?").collect(Collectors.joining(", "))
                        + ") ON CONFLICT ("
                        + keyCols
                        + ") DO UPDATE SET "
                        + set
                        + " WHERE cur.\"_lsn\" IS NULL OR (cur.\"_lsn\", cur.\"_seq\") < (EXCLUDED.\"_lsn\", EXCLUDED.\"_seq\")";
        String keyMatch =
                raw.source().keyColumns().stream()
                        .map(c -> Identifiers.quote(c) + " = ?")
                        .collect(Collectors.joining(" AND "));
        this.delete = "DELETE FROM " + target + " WHERE " + keyMatch + " AND " + NEWER;
        // a TRUNCATE ends every version up to its position (the raw history's rule: rows after it
        // have a higher _lsn)
        this.truncate =
                soft
                        ? "UPDATE "
                                + target
                                + " SET \"_deleted\" = true, \"_deleted_at\" = ?::timestamptz, \"_lsn\" = ?, \"_seq\" = ?"
                                + " WHERE NOT \"_deleted\" AND (\"_lsn\" IS NULL OR \"_lsn\" <= ?)"
                        : "DELETE FROM " + target + " WHERE \"_lsn\" IS NULL OR \"_lsn\" <= ?";
    }

    int columns() {
        return raw.source().columns().size();
    }

    /**
     * Writes the latest version of each key (one per key, so the order among them does not matter).
     */
    void write(Connection conn, Collection<MirrorRow> rows) throws SQLException {
        try (PreparedStatement up = conn.prepareStatement(upsert);
                PreparedStatement del = soft ? null : conn.prepareStatement(delete)) {
            int ups = 0;
            int dels = 0;
            for (MirrorRow r : rows) {
                if (r.delete() && !soft) {
                    int i = 1;
                    for (int k : key) {
                        del.setObject(i++, r.values()[k], Types.OTHER);
                    }
                    del.setLong(i++, r.lsn());
                    del.setLong(i, r.seq());
                    del.addBatch();
                    dels++;
                    continue;
                }
                int i = 1;
                for (int c = 0; c < columns(); c++) {
                    String v = c < r.values().length ? r.values()[c] : null;
                    up.setObject(i++, v, Types.OTHER);
                }
                up.setLong(i++, r.lsn());
                up.setLong(i++, r.seq());
                if (soft) {
                    up.setBoolean(i++, r.delete());
                    up.setObject(i, r.delete() ? r.sourceTs() : null, Types.OTHER);
                }
                up.addBatch();
                ups++;
            }
            if (ups > 0) {
                up.executeBatch();
            }
            if (dels > 0) {
                del.executeBatch();
            }
        }
    }

    void truncate(Connection conn, MirrorRow t) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(truncate)) {
            int i = 1;
            if (soft) {
                ps.setObject(i++, t.sourceTs(), Types.OTHER);
                ps.setLong(i++, t.lsn());
                ps.setLong(i++, t.seq());
            }
            ps.setLong(i, t.lsn());
            ps.executeUpdate();
        }
    }
}
