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
 * refuses the start (operations, via-root). A resumed run adds no table at start: a table named
 * since is captured by the running job, or waits for the owner (see Discovery). Reads only.
 */
final class PublicationCheck {
    private static final String SERVER = SourceCheck.SERVER;

    private PublicationCheck() {}

    static void check(
            Connection conn,
            PipelineConfig config,
            List<TableSchema> tables,
            boolean resuming,
            Findings out)
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
            given(conn, config, identity, insertOnly, required, resuming, out);
            return;
        }
        for (String p : List.of(pub, Publications.insertsOf(pub))) {
            String c = Publications.comment(conn, p);
            if (c != null
                    && c.startsWith(Publications.OWNER_PREFIX)
                    && !c.equals(Publications.owner(config.slot))
                    && !c.equals(Publications.owner(config.slot) + ", inserts")) {
                out.fail(SERVER, Publications.anotherPipelines(p, c));
                return;
            }
        }
        Set<TableRef> published = Publications.published(conn, pub);
        Set<TableRef> inserts = Publications.published(conn, Publications.insertsOf(pub));
        List<TableRef> lacking = new ArrayList<>(required);
        if (!resuming) {
            lacking.addAll(identity);
            lacking.addAll(insertOnly);
        }
        lacking.removeIf(t -> published.contains(t) || inserts.contains(t));
        List<TableRef> notOwned = new ArrayList<>();
        for (TableRef t : lacking) {
            if (!ownsOrMakes(conn, t)) {
                notOwned.add(t);
            }
        }
        boolean makesInserts =
                !resuming
                        && !insertOnly.isEmpty()
                        && Publications.comment(conn, Publications.insertsOf(pub)) == null;
        boolean mayCreate = (exists && !makesInserts) || mayCreateOnDatabase(conn);
        if (mayCreate && notOwned.isEmpty()) {
            out.ok(
                    SERVER,
                    "publication '"
                            + pub
                            + "' is "
                            + (exists ? "flink-elt's" : "made at the first start")
                            + " and may be kept to the captured tables");
            return;
        }
        if (resuming && mayCreate) {
            // required tables are signal tables this role makes: only tables named since remain
            out.warn(
                    SERVER,
                    "tables "
                            + notOwned
                            + " are not captured until publication '"
                            + pub
                            + "' holds them, and this role may not add them. Fix: have the tables' owner run: "
                            + "ALTER PUBLICATION "
                            + Identifiers.quote(pub)
                            + " ADD TABLE "
                            + Publications.list(notOwned));
            return;
        }
        List<TableRef> forOwner = new ArrayList<>(identity);
        forOwner.addAll(required);
        out.fail(
                SERVER,
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
                        + "). Fix: have the tables' owner "
                        + (exists
                                ? "run: ALTER PUBLICATION "
                                        + Identifiers.quote(pub)
                                        + " ADD TABLE "
                                        + Publications.list(notOwned.isEmpty() ? lacking : notOwned)
                                : "create it: CREATE PUBLICATION "
                                        + Identifiers.quote(pub)
                                        + (forOwner.isEmpty()
                                                ? ""
                                                : " FOR TABLE " + Publications.list(forOwner))
                                        + " WITH (publish_via_partition_root = true"
                                        + (Publications.generatedColumns(conn)
                                                ? ", publish_generated_columns = stored"
                                                : "")
                                        + "); flink-elt reads a publication it did not make as it is"));
    }

    private static void given(
            Connection conn,
            PipelineConfig config,
            List<TableRef> identity,
            List<TableRef> insertOnly,
            List<TableRef> required,
            boolean resuming,
            Findings out)
            throws SQLException {
        String pub = config.publication;
        String name = Identifiers.quote(pub);
        boolean mayAlter = ownsPublication(conn, pub);
        List<String> unpublished = GivenPublication.unpublishedOperations(conn, pub);
        if (!unpublished.isEmpty() && !mayAlter) {
            out.fail(
                    SERVER,
                    "publication '"
                            + pub
                            + "' (made by its owner) publishes no "
                            + String.join(", ", unpublished)
                            + " (those changes would be lost), and this user may not change it. Fix: have its owner run: ALTER PUBLICATION "
                            + name
                            + " SET (publish = 'insert, update, delete, truncate')");
        }
        // as the start: the tables it would add (none on a resumed run) and the signal table
        List<TableRef> viaRootFor = new ArrayList<>(resuming ? List.of() : identity);
        viaRootFor.addAll(required);
        TableRef partitioned = GivenPublication.firstPartitioned(conn, viaRootFor);
        if (partitioned != null && !Publications.viaRoot(conn, pub) && !mayAlter) {
            out.fail(
                    SERVER,
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
            if (!published.contains(t) && !(mayAlter && ownsOrMakes(conn, t))) {
                out.fail(
                        SERVER,
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
            if (published.contains(t) || (mayAlter && ownsOrMakes(conn, t))) {
                covered++;
            } else {
                out.warn(
                        SERVER,
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
                    || (mayCreateInserts && ownsOrMakes(conn, t))) {
                covered++;
            } else {
                out.warn(
                        SERVER,
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
                SERVER,
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
                "SELECT pg_has_role(p.pubowner, 'USAGE') FROM pg_publication p WHERE p.pubname = ?",
                pub);
    }

    /**
     * Whether this role owns {@code t} (or is a member of its owner, or superuser), or will make it
     * (a signal table not made yet: whether it may is the signal check's finding). By name: {@code
     * to_regclass} fails on a schema without USAGE.
     */
    private static boolean ownsOrMakes(Connection conn, TableRef t) throws SQLException {
        return bool(
                conn,
                "SELECT coalesce((SELECT pg_has_role(c.relowner, 'USAGE') FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?), true)",
                t.schema(),
                t.table());
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
