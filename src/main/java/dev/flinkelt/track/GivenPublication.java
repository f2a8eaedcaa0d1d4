package dev.flinkelt.track;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.SqlErrors;

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

/**
 * A publication someone else made, named in {@code source.publication}: on managed databases a DBA
 * makes it, since creating or altering one takes ownership of its tables. flink-elt reads through
 * it and changes it only where it must and may: it never narrows, comments or drops it. A captured
 * table it lacks is added when this role may; otherwise the table is left out with one warning
 * naming the statement for the owner, and captured once the publication covers it (see Discovery).
 * What the pipeline cannot do without (every operation published, a partitioned table published as
 * itself) refuses the start with the statement to run.
 */
final class GivenPublication {
    private static final Logger LOG = LoggerFactory.getLogger(GivenPublication.class);

    private GivenPublication() {}

    /** Whether an existing publication with this comment was made by someone else. */
    static boolean given(String comment) {
        return comment == null || !comment.startsWith(Publications.OWNER_PREFIX);
    }

    /**
     * Makes sure {@code publication} publishes what the pipeline needs; returns the tables of
     * {@code wanted} it does not cover and this role may not add: left out until it does. {@code
     * required}: tables without which the pipeline cannot run (the signal table).
     */
    static List<TableRef> ensure(
            Connection conn, String publication, List<TableRef> wanted, List<TableRef> required)
            throws SQLException {
        String name = Identifiers.quote(publication);
        List<String> unpublished = unpublishedOperations(conn, publication);
        if (!unpublished.isEmpty()) {
            alterOrRefuse(
                    conn,
                    publication,
                    "ALTER PUBLICATION "
                            + name
                            + " SET (publish = 'insert, update, delete, truncate')",
                    "publishes no "
                            + String.join(", ", unpublished)
                            + " (those changes would be lost)");
        }
        List<TableRef> all = new ArrayList<>(wanted);
        all.addAll(required);
        TableRef partitioned = firstPartitioned(conn, all);
        if (partitioned != null && !Publications.viaRoot(conn, publication)) {
            alterOrRefuse(
                    conn,
                    publication,
                    "ALTER PUBLICATION " + name + " SET (publish_via_partition_root = true)",
                    "would publish the changes of partitioned table "
                            + partitioned
                            + " under its partitions' names");
        }
        Set<TableRef> published = Publications.published(conn, publication);
        for (TableRef t : required) {
            if (!published.contains(t)) {
                alterOrRefuse(conn, publication, addStatement(publication, t), "lacks " + t);
            }
        }
        List<TableRef> left = new ArrayList<>();
        for (TableRef t : wanted) {
            if (published.contains(t)) {
                continue;
            }
            try (Statement st = conn.createStatement()) {
                st.execute("ALTER PUBLICATION " + name + " ADD TABLE " + t.quoted());
            } catch (SQLException e) {
                if (!SqlErrors.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                    throw e;
                }
                left.add(t);
                LOG.warn(
                        "table {} is not captured yet: publication {} does not publish it and this user may"
                                + " not add it. It is captured (with a snapshot) as soon as the publication's"
                                + " owner runs: {}",
                        t,
                        publication,
                        addStatement(publication, t));
            }
        }
        return left;
    }

    /**
     * What the owner runs to add {@code t}: the lock holds off writers across the change, so no
     * write is neither published nor in the snapshot that follows.
     */
    static String addStatement(String publication, TableRef t) {
        return "BEGIN; LOCK TABLE "
                + t.quoted()
                + " IN SHARE MODE; ALTER PUBLICATION "
                + Identifiers.quote(publication)
                + " ADD TABLE "
                + t.quoted()
                + "; COMMIT;";
    }

    static List<String> unpublishedOperations(Connection conn, String publication)
            throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT pubinsert, pubupdate, pubdelete, pubtruncate FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                List<String> out = new ArrayList<>();
                String[] ops = {"insert", "update", "delete", "truncate"};
                for (int i = 0; i < ops.length; i++) {
                    if (!rs.getBoolean(i + 1)) {
                        out.add(ops[i]);
                    }
                }
                return out;
            }
        }
    }

    static TableRef firstPartitioned(Connection conn, List<TableRef> tables) throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        // by name: to_regclass fails on a schema without USAGE
                        "SELECT c.relkind = 'p' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                                + " WHERE n.nspname = ? AND c.relname = ?")) {
            for (TableRef t : tables) {
                ps.setString(1, t.schema());
                ps.setString(2, t.table());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return t;
                    }
                }
            }
        }
        return null;
    }

    /** Runs {@code sql} when this role may; otherwise refuses the start naming it. */
    private static void alterOrRefuse(
            Connection conn, String publication, String sql, String problem) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            if (!SqlErrors.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw e;
            }
            throw new ConfigException(
                    "publication '"
                            + publication
                            + "' (made by its owner, not by flink-elt) "
                            + problem
                            + ", and this user may not change it. Fix: have its owner run on the source: "
                            + sql,
                    e);
        }
    }
}
