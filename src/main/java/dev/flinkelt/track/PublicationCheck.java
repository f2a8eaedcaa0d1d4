package dev.flinkelt.track;

import dev.flinkelt.config.Findings;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.TableSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether the publication can carry every captured table, as the start would find it (see {@link
 * Publications#ensure}): one flink-elt makes needs CREATE on the database and ownership of each
 * table; one made by the tables' owner is read as it is, and what it lacks is either added (when
 * this role may), left out until the owner adds it (a table: a warning with the statement), or
 * refuses the start (operations, via-root). Reads only.
 */
final class PublicationCheck {
    private PublicationCheck() {}

    static void check(
            Connection conn, PipelineConfig config, List<TableSchema> tables, Findings out)
            throws SQLException {
        String pub = config.publication;
        String comment = Publications.comment(conn, pub);
        boolean exists = comment != null;
        List<TableRef> identity = new ArrayList<>();
        List<TableRef> insertOnly = new ArrayList<>();
        for (TableSchema t : tables) {
            (t.insertOnly() ? insertOnly : identity).add(t.ref());
        }
        List<TableRef> required =
                config.signals.messages() ? List.of() : List.of(config.signalTable);
        if (exists && GivenPublication.given(comment.isEmpty() ? null : comment)) {
            given(conn, config, identity, insertOnly, required, out);
            return;
        }
        List<TableRef> all = new ArrayList<>(identity);
        all.addAll(required);
        all.addAll(insertOnly);
        Set<TableRef> published = Publications.published(conn, pub);
        Set<TableRef> inserts = Publications.published(conn, Publications.insertsOf(pub));
        List<TableRef> notOwned = new ArrayList<>();
        for (TableRef t : all) {
            if (!published.contains(t) && !inserts.contains(t) && !owns(conn, t)) {
                notOwned.add(t);
            }
        }
        boolean mayCreate = exists || mayCreateOnDatabase(conn);
        if (mayCreate && notOwned.isEmpty()) {
            out.ok(
                    "source",
                    "publication '"
                            + pub
                            + "' is "
                            + (exists ? "flink-elt's" : "made at the first start")
                            + " and may be kept to the captured tables");
            return;
        }
        List<TableRef> forOwner = new ArrayList<>(identity);
        forOwner.addAll(required);
        out.fail(
                "source",
                "publication '"
                        + pub
                        + "' "
                        + (exists ? "lacks captured tables" : "does not exist")
                        + ", and this role may not "
                        + (exists ? "add them" : "create it")
                        + " (a publication takes CREATE on the database"
                        + (notOwned.isEmpty()
                                ? ""
                                : " and ownership of each table it names; not owned: " + notOwned)
                        + "). Fix: have the tables' owner run: CREATE PUBLICATION "
                        + Identifiers.quote(pub)
                        + (forOwner.isEmpty() ? "" : " FOR TABLE " + Publications.list(forOwner))
                        + " WITH (publish_via_partition_root = true"
                        + (Publications.generatedColumns(conn)
                                ? ", publish_generated_columns = stored"
                                : "")
                        + "); flink-elt reads a publication it did not make as it is");
    }

    private static void given(
            Connection conn,
            PipelineConfig config,
            List<TableRef> identity,
            List<TableRef> insertOnly,
            List<TableRef> required,
            Findings out)
            throws SQLException {
        String pub = config.publication;
        String name = Identifiers.quote(pub);
        boolean mayAlter = ownsPublication(conn, pub);
        List<String> unpublished = GivenPublication.unpublishedOperations(conn, pub);
        if (!unpublished.isEmpty() && !mayAlter) {
            out.fail(
                    "source",
                    "publication '"
                            + pub
                            + "' (made by its owner) publishes no "
                            + String.join(", ", unpublished)
                            + " (those changes would be lost), and this user may not change it. Fix: have its owner run: ALTER PUBLICATION "
                            + name
                            + " SET (publish = 'insert, update, delete, truncate')");
        }
        List<TableRef> all = new ArrayList<>(identity);
        all.addAll(required);
        all.addAll(insertOnly);
        TableRef partitioned = GivenPublication.firstPartitioned(conn, all);
        if (partitioned != null && !Publications.viaRoot(conn, pub) && !mayAlter) {
            out.fail(
                    "source",
                    "publication '"
                            + pub
                            + "' (made by its owner) would publish the changes of partitioned table "
                            + partitioned
                            + " under its partitions' names, and this user may not change it. Fix: have its owner run: ALTER PUBLICATION "
                            + name
                            + " SET (publish_via_partition_root = true)");
        }
        Set<TableRef> published = Publications.published(conn, pub);
        for (TableRef t : required) {
            if (!published.contains(t) && !(mayAlter && owns(conn, t))) {
                out.fail(
                        "source",
                        "publication '"
                                + pub
                                + "' (made by its owner) lacks the signal table "
                                + t
                                + ". Fix: have its owner run: "
                                + GivenPublication.addStatement(pub, t));
            }
        }
        int covered = 0;
        for (TableRef t : identity) {
            if (published.contains(t) || (mayAlter && owns(conn, t))) {
                covered++;
            } else {
                out.warn(
                        "source",
                        "table "
                                + t
                                + " is not captured until publication '"
                                + pub
                                + "' publishes it (this user may not add it); it is captured, with a"
                                + " snapshot, once its owner runs: "
                                + GivenPublication.addStatement(pub, t));
            }
        }
        Set<TableRef> inserts = Publications.published(conn, Publications.insertsOf(pub));
        boolean mayCreateInserts =
                Publications.comment(conn, Publications.insertsOf(pub)) != null
                        || mayCreateOnDatabase(conn);
        for (TableRef t : insertOnly) {
            if (published.contains(t)
                    || inserts.contains(t)
                    || (mayCreateInserts && owns(conn, t))) {
                covered++;
            } else {
                out.warn(
                        "source",
                        "table "
                                + t
                                + " (no replica identity) is not captured until a publication carries it:"
                                + " publication '"
                                + pub
                                + "' lacks it and this user may not make "
                                + Publications.insertsOf(pub)
                                + " for it. Fix: ALTER TABLE "
                                + t.quoted()
                                + " REPLICA IDENTITY FULL; then "
                                + GivenPublication.addStatement(pub, t));
            }
        }
        out.ok(
                "source",
                "publication '"
                        + pub
                        + "' (made by its owner) carries "
                        + covered
                        + " of "
                        + (identity.size() + insertOnly.size())
                        + " captured table(s)");
    }

    private static boolean ownsPublication(Connection conn, String pub) throws SQLException {
        return bool(
                conn,
                "SELECT pg_has_role(p.pubowner, 'USAGE') OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
                        + " FROM pg_publication p WHERE p.pubname = ?",
                pub);
    }

    /** Whether this role owns {@code t} (or is a member of its owner, or superuser). */
    private static boolean owns(Connection conn, TableRef t) throws SQLException {
        return bool(
                conn,
                "SELECT pg_has_role(c.relowner, 'USAGE') OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
                        + " FROM pg_class c WHERE c.oid = to_regclass(?)",
                t.quoted());
    }

    private static boolean mayCreateOnDatabase(Connection conn) throws SQLException {
        return bool(conn, "SELECT has_database_privilege(current_database(), 'CREATE')");
    }

    private static boolean bool(Connection conn, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
