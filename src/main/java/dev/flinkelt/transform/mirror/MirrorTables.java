package dev.flinkelt.transform.mirror;

import dev.flinkelt.catalog.ColumnSpec;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.transform.RawTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;

/**
 * Creates the mirror tables in the warehouse: the raw table's columns and types, the source's key as primary key,
 * and the {@code (_lsn, _seq)} of the version each row holds, which makes every write idempotent and a late
 * older version harmless.
 */
public final class MirrorTables {
    private MirrorTables() {}

    public static String qualified(String mirrorSchema, RawTable t) {
        return Identifiers.quote(mirrorSchema) + "." + Identifiers.quote(t.rawName());
    }

    public static void ensure(Connection conn, String mirrorSchema, Iterable<RawTable> tables, boolean softDeletes) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(mirrorSchema));
            for (RawTable t : tables) {
                ensure(st, qualified(mirrorSchema, t), t, softDeletes);
            }
        }
    }

    /** Creates {@code qualified} if missing and adds the columns it lacks (source DDL, or a mirror of an earlier version). */
    static void ensure(Statement st, String qualified, RawTable t, boolean softDeletes) throws SQLException {
        String cols = t.source().columns().stream().map(MirrorTables::column).collect(Collectors.joining(", "));
        String key = t.source().keyColumns().stream().map(Identifiers::quote).collect(Collectors.joining(", "));
        st.execute("CREATE TABLE IF NOT EXISTS " + qualified + " (" + cols + (cols.isEmpty() ? "" : ", ") + "\"_lsn\" bigint, \"_seq\" bigint"
                + (softDeletes ? ", \"_deleted\" boolean NOT NULL DEFAULT false, \"_deleted_at\" timestamptz" : "")
                + ", PRIMARY KEY (" + key + "))");
        for (ColumnSpec c : t.source().columns()) {
            st.execute("ALTER TABLE " + qualified + " ADD COLUMN IF NOT EXISTS " + column(c));
        }
        st.execute("ALTER TABLE " + qualified + " ADD COLUMN IF NOT EXISTS \"_lsn\" bigint, ADD COLUMN IF NOT EXISTS \"_seq\" bigint");
    }

    private static String column(ColumnSpec c) {
        return Identifiers.quote(c.name()) + " " + c.type();
    }
}
