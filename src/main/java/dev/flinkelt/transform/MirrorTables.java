package dev.flinkelt.transform;

import dev.flinkelt.catalog.ColumnSpec;
import dev.flinkelt.config.Identifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;

/** Creates the mirror tables in the warehouse: the source's columns and types, the source's key as primary key. */
final class MirrorTables {
    private MirrorTables() {}

    static String qualified(String mirrorSchema, RawTable t) {
        return Identifiers.quote(mirrorSchema) + "." + Identifiers.quote(t.rawName());
    }

    static void ensure(Connection conn, String mirrorSchema, Iterable<RawTable> tables, boolean softDeletes) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(mirrorSchema));
            for (RawTable t : tables) {
                String cols = t.source().columns().stream().map(MirrorTables::column).collect(Collectors.joining(", "));
                String key = t.source().keyColumns().stream().map(Identifiers::quote).collect(Collectors.joining(", "));
                st.execute("CREATE TABLE IF NOT EXISTS " + qualified(mirrorSchema, t) + " (" + cols
                        + (softDeletes ? ", \"_deleted\" boolean NOT NULL DEFAULT false, \"_deleted_at\" timestamptz" : "")
                        + ", PRIMARY KEY (" + key + "))");
                // a mirror made before its raw table gained columns (source DDL) gets them at this start
                for (ColumnSpec c : t.source().columns()) {
                    st.execute("ALTER TABLE " + qualified(mirrorSchema, t) + " ADD COLUMN IF NOT EXISTS " + column(c));
                }
            }
        }
    }

    private static String column(ColumnSpec c) {
        return Identifiers.quote(c.name()) + " " + c.type();
    }
}
