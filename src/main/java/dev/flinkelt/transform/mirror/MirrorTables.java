package dev.flinkelt.transform.mirror;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.pg.ColumnSpec;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.Schemas;
import dev.flinkelt.raw.RawTable;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Creates the mirror tables in the warehouse: the raw table's columns and types, the source's key
 * as primary key, and the {@code (_lsn, _seq)} of the version each row holds, which makes every
 * write idempotent and a late older version harmless.
 */
public final class MirrorTables {
    private MirrorTables() {}

    public static String qualified(String mirrorSchema, RawTable t) {
        return Identifiers.quote(mirrorSchema) + "." + Identifiers.quote(t.rawName());
    }

    public static void ensure(
            Connection conn, String mirrorSchema, Iterable<RawTable> tables, boolean softDeletes)
            throws SQLException {
        Schemas.ensure(conn, mirrorSchema);
        for (RawTable t : tables) {
            ensure(conn, qualified(mirrorSchema, t), t, softDeletes);
        }
    }

    /**
     * Creates {@code qualified} if missing, or adds the columns it lacks (source DDL, or a mirror
     * of an earlier version) in one ALTER. A mirror that has them all is not touched: an ALTER
     * would wait for every reader of the mirror.
     */
    static void ensure(Connection conn, String qualified, RawTable t, boolean softDeletes)
            throws SQLException {
        Set<String> existing =
                new HashSet<>(
                        Connections.rows(
                                conn,
                                "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass("
                                        + Identifiers.literal(qualified)
                                        + ") AND attnum > 0 AND NOT attisdropped"));
        List<String> columns = new ArrayList<>();
        t.source().columns().forEach(c -> columns.add(column(c)));
        columns.add("\"_lsn\" bigint");
        columns.add("\"_seq\" bigint");
        try (Statement st = conn.createStatement()) {
            if (existing.isEmpty()) {
                String key =
                        t.source().keyColumns().stream()
                                .map(Identifiers::quote)
                                .collect(Collectors.joining(", "));
                st.execute(
                        "CREATE TABLE IF NOT EXISTS "
                                + qualified
                                + " ("
                                + String.join(", ", columns)
                                + (softDeletes
                                        ? ", \"_deleted\" boolean NOT NULL DEFAULT false, \"_deleted_at\" timestamptz"
                                        : "")
                                + ", PRIMARY KEY ("
                                + key
                                + "))");
                return;
            }
            List<String> missing = new ArrayList<>();
            List<String> names = new ArrayList<>(t.source().columnNames());
            names.add("_lsn");
            names.add("_seq");
            for (int i = 0; i < names.size(); i++) {
                if (!existing.contains(names.get(i))) {
                    missing.add("ADD COLUMN IF NOT EXISTS " + columns.get(i));
                }
            }
            if (!missing.isEmpty()) {
                st.execute("ALTER TABLE " + qualified + " " + String.join(", ", missing));
            }
        }
    }

    private static String column(ColumnSpec c) {
        return Identifiers.quote(c.name()) + " " + c.type();
    }
}
