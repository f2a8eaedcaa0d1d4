package dev.flinkelt.track;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.TableSchema;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * Makes the pipeline's publications publish exactly the captured tables: the publication for every
 * table that has a replica identity, and {@code <publication>_inserts}, which publishes only
 * inserts and truncates, for tables without one (PostgreSQL refuses UPDATE and DELETE on a table
 * that publishes them without a replica identity: the source's applications would break). Both
 * publish a partitioned table's changes as the table's own ({@code publish_via_partition_root}), so
 * partitions attached later and rows moving between partitions stay the table's. Each carries a
 * comment naming the replication slot of its pipeline, so that two pipelines on one server cannot
 * take each other's publication (narrowing the other's tables) or slot (stealing its position).
 */
public final class Publications {
    private static final Logger LOG = LoggerFactory.getLogger(Publications.class);

    static final String OWNER_PREFIX = "flink-elt pipeline, slot ";
    private static final String INSERTS = "_inserts";

    private Publications() {}

    /** The comment that marks a publication as the one of the pipeline reading {@code slot}. */
    static String owner(String slot) {
        return OWNER_PREFIX + slot;
    }

    /** The insert-only publication that goes with {@code publication}. */
    public static String insertsOf(String publication) {
        return publication + INSERTS;
    }

    /** The publications a pipeline's change stream reads. */
    public static List<String> of(String publication) {
        return List.of(publication, insertsOf(publication));
    }

    /** The publication {@code table} belongs in. */
    static String publicationFor(String publication, TableSchema table) {
        return table.insertOnly() ? insertsOf(publication) : publication;
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
     * On a fresh start the publications get exactly {@code tables} (plus the signal table, if any);
     * on a resumed one only the signal table is made sure of: a table named in the config since the
     * last run is captured by the running job, with its own snapshot (see track.Discovery), which
     * it would skip if it were in the publication already. A publication made by someone else is
     * read as it is and changed only where needed and allowed ({@link GivenPublication}). Returns
     * the tables left out for now: a given publication lacks them and this user may not add them.
     */
    public static List<TableRef> ensure(
            Connection conn,
            String publication,
            List<TableSchema> tables,
            String slot,
            TableRef signal,
            boolean fresh)
            throws SQLException {
        List<TableRef> all = new ArrayList<>();
        List<TableRef> inserts = new ArrayList<>();
        if (fresh) {
            for (TableSchema t : tables) {
                (t.insertOnly() ? inserts : all).add(t.ref());
            }
        }
        List<TableRef> signals = signal == null ? List.of() : List.of(signal);
        List<TableRef> left = new ArrayList<>();
        String comment = comment(conn, publication);
        if (comment != null && GivenPublication.given(comment.isEmpty() ? null : comment)) {
            // insert-only tables the owner published stay there; the others need the insert-only
            // publication, which adding them to one that publishes updates would not be
            Set<TableRef> published = published(conn, publication);
            List<TableRef> ownInserts =
                    inserts.stream().filter(t -> !published.contains(t)).toList();
            left.addAll(GivenPublication.ensure(conn, publication, all, signals));
            try {
                ensure(
                        conn,
                        insertsOf(publication),
                        ownInserts,
                        owner(slot) + ", inserts",
                        false,
                        "publish = 'insert, truncate', ");
            } catch (ConfigException e) {
                // without it, tables without a replica identity are captured once the owner's
                // publication holds them (or they get one); the others go on
                left.addAll(ownInserts);
                LOG.warn(
                        "{}; tables without a replica identity ({}) are captured only once publication"
                                + " {} holds them",
                        e.getMessage(),
                        ownInserts.isEmpty() ? "none now" : ownInserts,
                        publication);
            }
            return left;
        }
        all.addAll(signals);
        ensure(conn, publication, all, owner(slot), fresh, "");
        ensure(
                conn,
                insertsOf(publication),
                inserts,
                owner(slot) + ", inserts",
                fresh,
                "publish = 'insert, truncate', ");
        return left;
    }

    /**
     * The publication's comment: null when there is no such publication, empty when it has none.
     */
    static String comment(Connection conn, String publication) throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT coalesce(obj_description(oid, 'pg_publication'), '') FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void ensure(
            Connection conn,
            String publication,
            List<TableRef> tables,
            String owner,
            boolean exact,
            String options)
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
        if (comment != null && comment.startsWith(OWNER_PREFIX) && !comment.equals(owner)) {
            throw new ConfigException(anotherPipelines(publication, comment));
        }
        ensureTables(conn, publication, tables, exact, options);
        if (!owner.equals(comment)) {
            try (Statement st = conn.createStatement()) {
                st.execute(
                        "COMMENT ON PUBLICATION "
                                + Identifiers.quote(publication)
                                + " IS "
                                + Identifiers.literal(owner));
            }
        }
    }

    /** Why a publication whose comment names another pipeline's slot may not be used. */
    static String anotherPipelines(String publication, String comment) {
        return "publication '"
                + publication
                + "' belongs to another flink-elt pipeline (the one with "
                + comment.substring("flink-elt pipeline, ".length())
                + "); using it would change the tables that pipeline captures."
                + " Fix: give this pipeline its own publication name, or drop the publication if that pipeline is gone";
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
            Connection conn,
            String publication,
            List<TableRef> tables,
            boolean exact,
            String options)
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
        String name = Identifiers.quote(publication);
        if (!exists) {
            alter(
                    conn,
                    publication,
                    "CREATE PUBLICATION "
                            + name
                            + (tables.isEmpty() ? "" : " FOR TABLE " + list(tables))
                            + " WITH ("
                            + options
                            + "publish_via_partition_root = true"
                            + (generatedColumns(conn) ? ", publish_generated_columns = stored" : "")
                            + ")");
            return;
        }
        if (generatedColumns(conn) && !publishesGenerated(conn, publication)) {
            alter(
                    conn,
                    publication,
                    "ALTER PUBLICATION " + name + " SET (publish_generated_columns = stored)");
        }
        if (!viaRoot(conn, publication)) {
            alter(
                    conn,
                    publication,
                    "ALTER PUBLICATION " + name + " SET (publish_via_partition_root = true)");
        }
        List<TableRef> missing = tables.stream().filter(t -> !published.contains(t)).toList();
        List<TableRef> extra =
                exact ? published.stream().filter(t -> !tables.contains(t)).toList() : List.of();
        if (!missing.isEmpty()) {
            alter(conn, publication, "ALTER PUBLICATION " + name + " ADD TABLE " + list(missing));
        }
        if (!extra.isEmpty()) {
            alter(conn, publication, "ALTER PUBLICATION " + name + " DROP TABLE " + list(extra));
        }
    }

    static String list(List<TableRef> tables) {
        return tables.stream().map(TableRef::quoted).collect(Collectors.joining(", "));
    }

    /**
     * Whether the server can send stored generated columns (PostgreSQL 18): flink-elt's
     * publications then do, so they are captured like any other column.
     */
    static boolean generatedColumns(Connection conn) throws SQLException {
        return conn.getMetaData().getDatabaseMajorVersion() >= 18;
    }

    private static boolean publishesGenerated(Connection conn, String publication)
            throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT pubgencols = 's' FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    static boolean viaRoot(Connection conn, String publication) throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement("SELECT pubviaroot FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Runs {@code sql} on {@code publication}; a refusal names the statement to run instead. */
    static void alter(Connection conn, String publication, String sql) throws SQLException {
        boolean exists = !sql.startsWith("CREATE");
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
