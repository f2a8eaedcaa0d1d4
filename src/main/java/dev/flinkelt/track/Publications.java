package dev.flinkelt.track;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.TableRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Makes a publication publish exactly the captured tables. Created by flink-elt rather than by the
 * CDC source: with autocreate the snapshot readers narrow it to one table mid-snapshot, and changes
 * to the others are lost. Each publication carries a comment naming the replication slot of its
 * pipeline, so that two pipelines on one server cannot take each other's publication (narrowing the
 * other's tables) or slot (stealing its position).
 */
public final class Publications {
    static final String OWNER_PREFIX = "flink-elt pipeline, slot ";

    private Publications() {}

    /** The comment that marks a publication as the one of the pipeline reading {@code slot}. */
    static String owner(String slot) {
        return OWNER_PREFIX + slot;
    }

    /**
     * The publication marked as belonging to {@code slot}'s pipeline other than {@code except}, if
     * any.
     */
    static String publicationOfSlot(Connection conn, String slot, String except)
            throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT pubname FROM pg_publication"
                                + " WHERE obj_description(oid, 'pg_publication') = ? AND pubname <> ?")) {
            ps.setString(1, owner(slot));
            ps.setString(2, except);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * On a fresh start the publication gets exactly {@code tables} (plus the signal table); on a
     * resumed one only the signal table is made sure of: a table named in the config since the last
     * run is captured by the running job, with its own snapshot (see track.Discovery), which it
     * would skip if it were in the publication already.
     */
    public static void ensure(
            Connection conn,
            String publication,
            List<TableRef> tables,
            String slot,
            TableRef signal,
            boolean fresh)
            throws SQLException {
        List<TableRef> wanted = new ArrayList<>(fresh ? tables : List.of());
        wanted.add(signal);
        ensure(conn, publication, wanted, slot, fresh);
    }

    private static void ensure(
            Connection conn, String publication, List<TableRef> tables, String slot, boolean exact)
            throws SQLException {
        String comment = null;
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT obj_description(oid, 'pg_publication') FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                comment = rs.next() ? rs.getString(1) : null;
            }
        }
        if (comment != null && comment.startsWith(OWNER_PREFIX) && !comment.equals(owner(slot))) {
            throw new ConfigException(
                    "publication '"
                            + publication
                            + "' belongs to another flink-elt pipeline (the one with "
                            + comment.substring("flink-elt pipeline, ".length())
                            + "); using it would change the tables that pipeline captures."
                            + " Fix: give this pipeline its own publication name, or drop the publication if that pipeline is gone");
        }
        ensureTables(conn, publication, tables, exact);
        if (!owner(slot).equals(comment)) {
            try (Statement st = conn.createStatement()) {
                st.execute(
                        "COMMENT ON PUBLICATION "
                                + Identifiers.quote(publication)
                                + " IS "
                                + Identifiers.literal(owner(slot)));
            }
        }
    }

    /** The tables {@code publication} publishes (none when it does not exist). */
    public static Set<TableRef> published(Connection conn, String publication) throws SQLException {
        Set<TableRef> out = new TreeSet<>();
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TableRef(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    private static void ensureTables(
            Connection conn, String publication, List<TableRef> tables, boolean exact)
            throws SQLException {
        Set<TableRef> published = published(conn, publication);
        boolean exists;
        try (PreparedStatement pub =
                conn.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            pub.setString(1, publication);
            try (ResultSet rs = pub.executeQuery()) {
                exists = rs.next();
            }
        }
        if (exists
                && (exact
                        ? published.equals(new TreeSet<>(tables))
                        : published.containsAll(tables))) {
            return;
        }
        List<TableRef> missing = tables.stream().filter(t -> !published.contains(t)).toList();
        String list =
                (exists && !exact ? missing : tables)
                        .stream().map(TableRef::quoted).collect(Collectors.joining(", "));
        String sql =
                (exists
                                ? "ALTER PUBLICATION "
                                        + Identifiers.quote(publication)
                                        + (exact ? " SET TABLE " : " ADD TABLE ")
                                : "CREATE PUBLICATION "
                                        + Identifiers.quote(publication)
                                        + " FOR TABLE ")
                        + list;
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new ConfigException(
                    "cannot "
                            + (exists ? "update" : "create")
                            + " publication '"
                            + publication
                            + "' for the captured tables ("
                            + e.getMessage()
                            + "). Fix: run as a table owner or superuser on the source: "
                            + sql,
                    e);
        }
    }
}
