package dev.flinkelt.preflight;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Makes a publication publish exactly the captured tables. Created by flink-elt rather than by the CDC source:
 * with autocreate the snapshot readers narrow it to one table mid-snapshot, and changes to the others are lost.
 */
public final class Publications {
    private Publications() {}

    public static void ensure(Connection conn, String publication, List<TableRef> tables) throws SQLException {
        Set<TableRef> published = new TreeSet<>();
        boolean exists = false;
        try (PreparedStatement ps = conn.prepareStatement("SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ?");
             PreparedStatement pub = conn.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            pub.setString(1, publication);
            try (ResultSet rs = pub.executeQuery()) {
                exists = rs.next();
            }
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    published.add(new TableRef(rs.getString(1), rs.getString(2)));
                }
            }
        }
        if (exists && published.equals(new TreeSet<>(tables))) {
            return;
        }
        String list = tables.stream().map(TableRef::quoted).collect(Collectors.joining(", "));
        String sql = (exists ? "ALTER PUBLICATION " + Identifiers.quote(publication) + " SET TABLE "
                : "CREATE PUBLICATION " + Identifiers.quote(publication) + " FOR TABLE ") + list;
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new ConfigException("cannot " + (exists ? "update" : "create") + " publication '" + publication + "' for the captured tables ("
                    + e.getMessage() + "). Fix: run as a table owner or superuser on the source: " + sql, e);
        }
    }
}
