package dev.flinkelt.raw;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.Schemas;
import dev.flinkelt.pg.SourceCatalog;
import dev.flinkelt.pg.SqlErrors;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.pg.UserType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Creates the raw schema, the enums/domains the raw tables use and the raw tables themselves (if
 * missing).
 */
public final class RawTables {
    private static final Logger LOG = LoggerFactory.getLogger(RawTables.class);

    /**
     * The warehouse transaction that loaded a row (filled by its default, so every writer sets it).
     * Readers of raw tables read new rows by it: every transaction below {@code
     * txid_snapshot_xmin(txid_current_snapshot())} has ended, so the rows under that horizon are
     * final (see the transform's {@code read} package).
     */
    public static final String LOAD_XID = "\"_load_xid\"";

    static final String METADATA_DDL =
            "\"_op\" char(1) NOT NULL, \"_lsn\" bigint NOT NULL, \"_seq\" bigint NOT NULL,"
                    + " \"_tx_id\" bigint, \"_source_ts\" timestamptz, \"_loaded_at\" timestamptz NOT NULL DEFAULT now(), "
                    + LOAD_XID
                    + " bigint DEFAULT txid_current()";

    /**
     * Where the sink quarantines rows the warehouse refused; no raw table has this name (see
     * RawNames).
     */
    public static final String REJECTED = "_rejected";

    /**
     * Where the pipeline records tables it paused (see {@link PausedTables}); no raw table has this
     * name.
     */
    public static final String PAUSED = "_paused";

    /**
     * The types the change stream gave each raw table's source columns, at the position of the
     * first change that carried each: what the raw column goes through, in order, when it follows a
     * type change (see schema.SchemaChanges). No raw table has this name.
     */
    public static final String COLUMN_TYPES = "_column_types";

    /**
     * The sink's record of its own transactions, one row written inside each (see the sink's
     * CommitLedger): after the warehouse fails over, a transaction a checkpoint counted as
     * committed but whose row the new primary lacks was lost with an asynchronous standby. No raw
     * table has this name.
     */
    public static final String SINK_TRANSACTIONS = "_sink_transactions";

    static final String SINK_TRANSACTIONS_DDL =
            "\"gid\" text PRIMARY KEY, \"pipeline\" text NOT NULL, \"subtask\" int NOT NULL,"
                    + " \"checkpoint\" bigint NOT NULL, \"kind\" text NOT NULL,"
                    + " \"written_at\" timestamptz NOT NULL DEFAULT now()";

    static final String COLUMN_TYPES_DDL =
            "\"raw_table\" text NOT NULL, \"column_name\" text NOT NULL, \"lsn\" bigint NOT NULL,"
                    + " \"type\" text NOT NULL, PRIMARY KEY (\"raw_table\", \"column_name\", \"lsn\")";

    static final String PAUSED_DDL =
            "\"raw_table\" text PRIMARY KEY, \"source_table\" text NOT NULL, \"since_lsn\" bigint NOT NULL,"
                    + " \"sqlstate\" text, \"reason\" text NOT NULL, \"paused_at\" timestamptz NOT NULL DEFAULT now(),"
                    + " \"resumed_at_lsn\" bigint";

    /**
     * The quarantine table's columns; {@code key} and {@code row} are jsonb objects of PostgreSQL
     * text values.
     */
    public static final String REJECTED_DDL =
            "\"raw_table\" text NOT NULL, \"key\" jsonb NOT NULL, \"_op\" char(1) NOT NULL,"
                    + " \"_lsn\" bigint NOT NULL, \"_seq\" bigint NOT NULL, \"_tx_id\" bigint, \"_source_ts\" timestamptz,"
                    + " \"sqlstate\" text NOT NULL, \"error\" text NOT NULL, \"row\" jsonb NOT NULL, \"_rejected_at\" timestamptz NOT NULL DEFAULT now()";

    private RawTables() {}

    public static String qualified(String rawSchema, TableSchema t) {
        return qualified(rawSchema, t.ref());
    }

    /** The quoted, schema-qualified raw table of source table {@code source}. */
    public static String qualified(String rawSchema, TableRef source) {
        return Identifiers.quote(rawSchema) + "." + Identifiers.quote(RawNames.of(source));
    }

    /**
     * Makes the raw schema, the user types and the raw tables (those missing). A type the warehouse
     * cannot get (an extension's it lacks, or one made of such a type) is refused, naming the fix,
     * unless {@code missingAsText}: columns of it then land as text.
     */
    public static void ensure(
            Connection conn,
            String rawSchema,
            List<TableSchema> tables,
            List<UserType> types,
            boolean missingAsText)
            throws SQLException {
        try (Statement st = conn.createStatement()) {
            Schemas.ensure(conn, rawSchema);
            // rows the warehouse refused, with their values (see the sink's Quarantine)
            st.execute(
                    "CREATE TABLE IF NOT EXISTS "
                            + Identifiers.quote(rawSchema)
                            + "."
                            + Identifiers.quote(REJECTED)
                            + " ("
                            + REJECTED_DDL
                            + ")");
            st.execute(
                    "CREATE TABLE IF NOT EXISTS "
                            + Identifiers.quote(rawSchema)
                            + "."
                            + Identifiers.quote(PAUSED)
                            + " ("
                            + PAUSED_DDL
                            + ")");
            st.execute(
                    "CREATE TABLE IF NOT EXISTS "
                            + Identifiers.quote(rawSchema)
                            + "."
                            + Identifiers.quote(COLUMN_TYPES)
                            + " ("
                            + COLUMN_TYPES_DDL
                            + ")");
            st.execute(
                    "CREATE TABLE IF NOT EXISTS "
                            + Identifiers.quote(rawSchema)
                            + "."
                            + Identifiers.quote(SINK_TRANSACTIONS)
                            + " ("
                            + SINK_TRANSACTIONS_DDL
                            + ")");
            Set<String> missing = new HashSet<>();
            for (UserType t : types) {
                if (typeExists(conn, t)) {
                    continue;
                }
                if (!t.creatable() || t.dependsOn().stream().anyMatch(missing::contains)) {
                    if (!missingAsText) {
                        throw missingType(t, tables);
                    }
                    missing.add(t.quotedName());
                    LOG.warn(
                            "the warehouse has no type {}: columns of it land in raw tables as text"
                                    + " (target.missing-types: text)",
                            t.quotedName());
                    continue;
                }
                Schemas.ensure(conn, t.schema());
                st.execute(t.createStatement());
            }
            for (TableSchema t : tables) {
                ensureTable(conn, st, rawSchema, t, missing);
                comment(conn, rawSchema, t);
            }
        }
    }

    /**
     * Writes the raw table's comment, where the transform job and verify find the source name and
     * key of each raw table: only when it changes (COMMENT takes a lock a concurrent index build of
     * the transform holds).
     */
    public static void comment(Connection conn, String rawSchema, TableSchema t)
            throws SQLException {
        if (!RawTableComment.of(t).equals(RawTableComment.text(conn, qualified(rawSchema, t)))) {
            try (Statement st = conn.createStatement()) {
                st.execute(
                        "COMMENT ON TABLE "
                                + qualified(rawSchema, t)
                                + " IS "
                                + Identifiers.literal(RawTableComment.of(t)));
            }
        }
    }

    /**
     * Renames every raw table of {@code rawSchema} that an earlier version named {@code S__T} (cut
     * at 63 bytes) and that {@link RawNames} now names otherwise: found by its comment, so tables
     * no longer captured are renamed too and every reader finds each table under one name. Runs at
     * the start, before anything writes. A prepared transaction of a run that did not stop with a
     * savepoint holds its lock until the restored job commits it; the rename then gives up after a
     * few seconds with the fix, rather than wait for a commit that only the job can make.
     */
    public static void renameLegacy(Connection conn, String rawSchema) throws SQLException {
        Map<String, TableRef> sources = RawCatalog.sources(conn, rawSchema);
        for (Map.Entry<String, TableRef> t : sources.entrySet()) {
            String name = t.getKey();
            String unique = RawNames.of(t.getValue());
            if (name.equals(unique) || !name.equals(RawNames.legacy(t.getValue()))) {
                continue;
            }
            if (sources.containsKey(unique)) {
                LOG.warn(
                        "raw table {}.{} of {} keeps its old name: a table {} exists as well; drop"
                                + " the one that is not wanted",
                        rawSchema,
                        name,
                        t.getValue(),
                        unique);
                continue;
            }
            try {
                underLockTimeout(
                        conn,
                        "ALTER TABLE "
                                + Identifiers.quote(rawSchema)
                                + "."
                                + Identifiers.quote(name)
                                + " RENAME TO "
                                + Identifiers.quote(unique));
            } catch (SQLException e) {
                if (!SqlErrors.LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    throw e;
                }
                throw new ConfigException(
                        "raw table "
                                + rawSchema
                                + "."
                                + name
                                + " must be renamed to "
                                + unique
                                + " (unique raw names), but another session holds its lock: most"
                                + " likely transactions a run of the earlier version prepared and"
                                + " did not commit (it was not stopped with a savepoint; see"
                                + " pg_prepared_xacts). Fix: start the earlier version from its"
                                + " checkpoint, stop it with a savepoint, then start this version"
                                + " from that savepoint");
            }
            LOG.info(
                    "raw table of {} renamed to its unique name {} (was {})",
                    t.getValue(),
                    unique,
                    name);
        }
    }

    /**
     * Creates the raw table when missing. An existing one is left as it is: the running pipeline
     * brings it up to each row layout the source sends (see {@code schema.LayoutPlan}), at the
     * position of the change.
     */
    private static void ensureTable(
            Connection conn, Statement st, String rawSchema, TableSchema t, Set<String> missing)
            throws SQLException {
        if (new SourceCatalog(conn).exists(new TableRef(rawSchema, RawNames.of(t.ref())))) {
            return;
        }
        st.execute(
                "CREATE TABLE "
                        + qualified(rawSchema, t)
                        + " ("
                        + t.columns().stream()
                                .map(
                                        c ->
                                                Identifiers.quote(c.name())
                                                        + " "
                                                        + RawTypes.of(c.type(), missing))
                                .collect(Collectors.joining(", "))
                        + (t.columns().isEmpty() ? "" : ", ")
                        + METADATA_DDL
                        + ")");
        // the types recorded for an earlier raw table of this name are not this one's history
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "DELETE FROM "
                                + Identifiers.quote(rawSchema)
                                + "."
                                + Identifiers.quote(COLUMN_TYPES)
                                + " WHERE raw_table = ?")) {
            ps.setString(1, RawNames.of(t.ref()));
            ps.executeUpdate();
        }
        ensureLoadXid(conn, qualified(rawSchema, t), false);
    }

    /**
     * Gives a raw table its {@code _load_xid} column with its default, in one transaction (rows
     * already there keep NULL: no rewrite), and the index readers use, on {@code (_load_xid, _lsn,
     * _seq)}. {@code existing}: the table may hold rows and take writes, so the index is built
     * without blocking them ({@code CONCURRENTLY}; the connection must be in autocommit); a table
     * made just now gets it directly.
     */
    public static void ensureLoadXid(Connection conn, String qualifiedRaw, boolean existing)
            throws SQLException {
        boolean ready;
        boolean indexed;
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = ?::regclass"
                                + " AND attname = '_load_xid' AND NOT attisdropped AND atthasdef), EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a"
                                + " ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = ?::regclass AND a.attname = '_load_xid'"
                                + " AND i.indisvalid AND i.indnatts = 3)")) {
            ps.setString(1, qualifiedRaw);
            ps.setString(2, qualifiedRaw);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                ready = rs.getBoolean(1);
                indexed = rs.getBoolean(2);
            }
        }
        if (!ready) {
            // waits at most a few seconds behind the sink transactions writing the table; the
            // caller
            // tries again later
            underLockTimeout(
                    conn,
                    "ALTER TABLE "
                            + qualifiedRaw
                            + " ADD COLUMN IF NOT EXISTS "
                            + LOAD_XID
                            + " bigint",
                    "ALTER TABLE "
                            + qualifiedRaw
                            + " ALTER COLUMN "
                            + LOAD_XID
                            + " SET DEFAULT txid_current()");
        }
        if (!indexed) {
            String name = loadXidIndex(qualifiedRaw);
            String concurrently = existing ? "CONCURRENTLY " : "";
            try (Statement st = conn.createStatement()) {
                if (invalidIndex(
                        conn, qualifiedRaw, name)) { // what a failed concurrent build leaves
                    st.execute(
                            "DROP INDEX "
                                    + concurrently
                                    + Identifiers.quote(Identifiers.splitQualified(qualifiedRaw)[0])
                                    + "."
                                    + Identifiers.quote(name));
                }
                st.execute(
                        "CREATE INDEX "
                                + concurrently
                                + Identifiers.quote(name)
                                + " ON "
                                + qualifiedRaw
                                + " ("
                                + LOAD_XID
                                + ", \"_lsn\", \"_seq\")");
            }
        }
    }

    /**
     * A name that fits PostgreSQL's 63 bytes whatever the raw table's name, and differs between raw
     * tables.
     */
    /**
     * Runs {@code ddl} in one transaction that waits at most 5 s for each lock (SQLSTATE {@link
     * SqlErrors#LOCK_NOT_AVAILABLE} then), whatever the connection's autocommit.
     */
    private static void underLockTimeout(Connection conn, String... ddl) throws SQLException {
        boolean auto = conn.getAutoCommit();
        conn.setAutoCommit(false);
        try (Statement st = conn.createStatement()) {
            st.execute("SET LOCAL lock_timeout = '5s'");
            for (String sql : ddl) {
                st.execute(sql);
            }
            conn.commit();
        } catch (SQLException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(auto);
        }
    }

    static String loadXidIndex(String qualifiedRaw) {
        return "flink_elt_load_xid_" + Identifiers.digest(qualifiedRaw, 12);
    }

    private static boolean invalidIndex(Connection conn, String qualifiedRaw, String name)
            throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                                + " WHERE i.indrelid = ?::regclass AND c.relname = ? AND NOT i.indisvalid")) {
            ps.setString(1, qualifiedRaw);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public static ConfigException missingType(UserType t, List<TableSchema> tables) {
        String column = null;
        for (TableSchema table : tables) {
            for (var c : table.columns()) {
                if (column == null && c.type().startsWith(t.quotedName())) {
                    column = table.ref() + "." + c.name();
                }
            }
        }
        return new ConfigException(
                (column == null ? "a captured column" : "column " + column)
                        + " uses type "
                        + t.quotedName()
                        + (t.extension() == null ? "" : " (extension " + t.extension() + ")")
                        + ", which the warehouse does not have and cannot be given by flink-elt. Fix: on the"
                        + " warehouse database, "
                        + t.fix()
                        + " Or set target.missing-types: text to load such columns as their text");
    }

    public static boolean typeExists(Connection conn, UserType t) throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT 1 FROM pg_type y JOIN pg_namespace n ON n.oid = y.typnamespace WHERE n.nspname = ? AND y.typname = ?")) {
            ps.setString(1, t.schema());
            ps.setString(2, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
