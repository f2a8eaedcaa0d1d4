package dev.flinkelt.pg;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.TableRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads captured tables, their columns, keys and the user types they use from the source catalog.
 * Every type a column can have is carried: built-in types as they are, others (enums, domains,
 * composite, range and extension types, arrays of all) by name, with what the warehouse needs to
 * have them too ({@link UserType}).
 */
public final class SourceCatalog {
    /**
     * SQL over {@code pg_attribute a}: whether logical replication leaves the column out. It sends
     * no generated column before PostgreSQL 18; from 18 on it sends stored ones, since flink-elt's
     * publications set {@code publish_generated_columns = stored} there, and never virtual ones.
     */
    public static final String UNPUBLISHED =
            "(a.attgenerated = 'v' OR (a.attgenerated = 's'"
                    + " AND current_setting('server_version_num')::int < 180000))";

    private final Connection conn;
    private final Map<String, UserType> userTypes = new LinkedHashMap<>();

    public SourceCatalog(Connection conn) {
        this.conn = conn;
    }

    /**
     * Expands names and patterns ({@code public.*}, {@code sales.order_*}) into existing tables,
     * sorted.
     */
    public List<TableRef> resolveTables(List<String> patterns) throws SQLException {
        return resolveTables(patterns, true);
    }

    /**
     * The tables a pipeline captures: those {@code patterns} match, without its {@code signal}
     * table (a pattern such as public.* matches it; it has no raw table).
     */
    public List<TableRef> capturedTables(
            List<String> patterns, boolean requireMatch, TableRef signal) throws SQLException {
        List<TableRef> out = new ArrayList<>(resolveTables(patterns, requireMatch));
        out.remove(signal);
        return out;
    }

    /**
     * As {@link #resolveTables(List)}; without {@code requireMatch} a pattern that matches nothing
     * is no error.
     */
    public List<TableRef> resolveTables(List<String> patterns, boolean requireMatch)
            throws SQLException {
        Set<TableRef> out = new TreeSet<>();
        for (String pattern : patterns) {
            TableRef p = TableRef.parse(pattern);
            boolean glob = p.schema().contains("*") || p.table().contains("*");
            List<TableRef> found = new ArrayList<>();
            String sql =
                    "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                            + " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition"
                            + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
                            + " AND n.nspname LIKE ? AND c.relname LIKE ? ORDER BY 1, 2";
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                ps.setString(1, glob ? likePattern(p.schema()) : escapeLike(p.schema()));
                ps.setString(2, glob ? likePattern(p.table()) : escapeLike(p.table()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(new TableRef(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            if (found.isEmpty() && requireMatch) {
                throw new ConfigException(
                        glob
                                ? "source.tables pattern '"
                                        + pattern
                                        + "' matches no table in the source database"
                                : "source table "
                                        + p
                                        + " does not exist in the source database (check source.tables; names are case-sensitive as in the catalog)");
            }
            out.addAll(found);
        }
        return new ArrayList<>(out);
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String likePattern(String s) {
        return escapeLike(s).replace("*", "%");
    }

    /**
     * Reads a table's columns (generated columns excluded where logical replication does not send
     * them: see {@link #UNPUBLISHED}); a column named in {@code reserved} (the columns the raw
     * tables add) is refused.
     */
    public TableSchema describe(TableRef table, List<String> configuredKey, Set<String> reserved)
            throws SQLException {
        return describe(table, configuredKey, reserved, false);
    }

    /**
     * As {@link #describe(TableRef, List, Set)}; with {@code rawTable} the metadata columns of a
     * raw table are left out instead of refused (the transform job reads raw tables this way).
     */
    public TableSchema describe(
            TableRef table, List<String> configuredKey, Set<String> reserved, boolean rawTable)
            throws SQLException {
        List<ColumnSpec> columns = new ArrayList<>();
        String sql =
                "SELECT a.attname, a.atttypid, a.atttypmod, "
                        + UNPUBLISHED
                        + " FROM pg_attribute a WHERE a.attrelid = ?::regclass AND a.attnum > 0"
                        + " AND NOT a.attisdropped ORDER BY a.attnum";
        List<Object[]> found = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(
                            new Object[] {
                                rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getBoolean(4)
                            });
                }
            }
        }
        for (Object[] c : found) {
            String name = (String) c[0];
            if ((Boolean) c[3]) {
                continue; // generated, and logical replication does not send it
            }
            if (reserved.contains(name)) {
                if (rawTable) {
                    continue;
                }
                throw new ConfigException(
                        "column "
                                + table
                                + "."
                                + name
                                + " has the name of a raw-table metadata column ("
                                + String.join(", ", new TreeSet<>(reserved))
                                + "); rename it in the source or leave the table out");
            }
            columns.add(new ColumnSpec(name, typeText((Long) c[1], (Integer) c[2], null)));
        }
        List<String> primaryKey = primaryKey(table);
        char identity = replicaIdentity(table);
        // without a replica identity PostgreSQL refuses UPDATE and DELETE on a table that
        // publishes them: such a table publishes inserts and truncates only
        boolean insertOnly = identity == 'n' || (identity == 'd' && primaryKey.isEmpty());
        List<String> key = primaryKey;
        if (key.isEmpty() && configuredKey.isEmpty() && identity == 'i') {
            key = identityIndex(table);
        }
        if (key.isEmpty() && !configuredKey.isEmpty()) {
            for (String k : configuredKey) {
                if (columns.stream().noneMatch(c -> c.name().equals(k))) {
                    throw new ConfigException(
                            "source.key-columns for "
                                    + table
                                    + " names column '"
                                    + k
                                    + "', which the table does not have");
                }
            }
            key = configuredKey;
        }
        return new TableSchema(table, columns, key, identity == 'f', insertOnly);
    }

    /**
     * The user type {@code schema.name} as the source has it now (the warehouse gets the same
     * type).
     */
    public UserType userType(String schema, String name) throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT t.oid FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
                                + " WHERE n.nspname = ? AND t.typname = ?")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException(
                            "type " + schema + "." + name + " no longer exists in the source");
                }
                // read anew: labels may have been added since it was read
                userTypes.remove(Identifiers.quote(schema) + "." + Identifiers.quote(name));
                typeText(rs.getLong(1), -1, null);
                return userTypes.get(Identifiers.quote(schema) + "." + Identifiers.quote(name));
            }
        }
    }

    /**
     * The SQL text of type {@code oid} with modifier {@code typmod}: a built-in type as {@code
     * format_type} prints it, any other by its quoted name, registered (with the types it depends
     * on, first) among {@link #userTypes}; {@code deps} (may be null) collects the user types
     * named.
     */
    private String typeText(long oid, int typmod, List<String> deps) throws SQLException {
        String schema;
        String name;
        String kind;
        String formatted;
        long element;
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT n.nspname, t.typname, t.typtype, format_type(t.oid, ?),"
                                + " CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE 0 END"
                                + " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = ?")) {
            ps.setInt(1, typmod);
            ps.setLong(2, oid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("type " + oid + " is not in the source catalog");
                }
                schema = rs.getString(1);
                name = rs.getString(2);
                kind = rs.getString(3);
                formatted = rs.getString(4);
                element = rs.getLong(5);
            }
        }
        if ("pg_catalog".equals(schema)) {
            return formatted;
        }
        if (element != 0) {
            return typeText(element, typmod, deps) + "[]";
        }
        String quoted = Identifiers.quote(schema) + "." + Identifiers.quote(name);
        if ("m".equals(kind)) {
            // a multirange comes with its range type
            typeText(rangeOf(oid), -1, deps);
            return quoted;
        }
        if (!userTypes.containsKey(quoted)) {
            userTypes.put(quoted, userType(oid, schema, name, kind));
        }
        if (deps != null) {
            deps.add(quoted);
        }
        return quoted;
    }

    private UserType userType(long oid, String schema, String name, String kind)
            throws SQLException {
        List<String> deps = new ArrayList<>();
        return switch (kind) {
            case "e" ->
                    new UserType(
                            schema, name, UserType.Kind.ENUM, enumLabels(oid), null, null, deps);
            case "d" -> {
                long[] base =
                        longs("SELECT typbasetype, typtypmod FROM pg_type WHERE oid = ?", oid);
                String definition = typeText(base[0], (int) base[1], deps);
                yield new UserType(
                        schema, name, UserType.Kind.DOMAIN, List.of(), definition, null, deps);
            }
            case "c" -> {
                List<String> attributes = new ArrayList<>();
                for (Object[] a : attributes(oid)) {
                    attributes.add(
                            Identifiers.quote((String) a[0])
                                    + " "
                                    + typeText((Long) a[1], (Integer) a[2], deps));
                }
                yield new UserType(
                        schema,
                        name,
                        UserType.Kind.COMPOSITE,
                        List.of(),
                        "(" + String.join(", ", attributes) + ")",
                        null,
                        deps);
            }
            case "r" -> {
                long subtype = longs("SELECT rngsubtype FROM pg_range WHERE rngtypid = ?", oid)[0];
                String definition = "RANGE (SUBTYPE = " + typeText(subtype, -1, deps);
                String multi = multirangeName(oid);
                yield new UserType(
                        schema,
                        name,
                        UserType.Kind.RANGE,
                        List.of(),
                        definition
                                + (multi == null ? "" : ", MULTIRANGE_TYPE_NAME = " + multi)
                                + ")",
                        null,
                        deps);
            }
            default ->
                    new UserType(
                            schema,
                            name,
                            UserType.Kind.BASE,
                            List.of(),
                            null,
                            extensionOf(oid),
                            deps);
        };
    }

    private List<String> enumLabels(long oid) throws SQLException {
        List<String> labels = new ArrayList<>();
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT enumlabel FROM pg_enum WHERE enumtypid = ? ORDER BY enumsortorder")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    labels.add(rs.getString(1));
                }
            }
        }
        return labels;
    }

    private List<Object[]> attributes(long compositeOid) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT a.attname, a.atttypid, a.atttypmod FROM pg_type t"
                                + " JOIN pg_attribute a ON a.attrelid = t.typrelid"
                                + " WHERE t.oid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            ps.setLong(1, compositeOid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Object[] {rs.getString(1), rs.getLong(2), rs.getInt(3)});
                }
            }
        }
        return out;
    }

    /** The quoted name of a range type's multirange (PostgreSQL 14 on), null before. */
    private String multirangeName(long rangeOid) throws SQLException {
        if (conn.getMetaData().getDatabaseMajorVersion() < 14) {
            return null;
        }
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT n.nspname, t.typname FROM pg_range r JOIN pg_type t ON t.oid = r.rngmultitypid"
                                + " JOIN pg_namespace n ON n.oid = t.typnamespace WHERE r.rngtypid = ?")) {
            ps.setLong(1, rangeOid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Identifiers.quote(rs.getString(1))
                                + "."
                                + Identifiers.quote(rs.getString(2))
                        : null;
            }
        }
    }

    private long rangeOf(long multirangeOid) throws SQLException {
        return longs("SELECT rngtypid FROM pg_range WHERE rngmultitypid = ?", multirangeOid)[0];
    }

    /** The extension a type belongs to, or null. */
    private String extensionOf(long oid) throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT e.extname FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid"
                                + " WHERE d.classid = 'pg_type'::regclass AND d.objid = ?"
                                + " AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private long[] longs(String sql, long oid) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no catalog row for type " + oid);
                }
                int n = rs.getMetaData().getColumnCount();
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = rs.getLong(i + 1);
                }
                return out;
            }
        }
    }

    private List<String> primaryKey(TableRef table) throws SQLException {
        return indexColumns(table, "indisprimary");
    }

    /** {@code d} default (primary key), {@code n} nothing, {@code f} full, {@code i} index. */
    private char replicaIdentity(TableRef table) throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT relreplident FROM pg_class WHERE oid = ?::regclass")) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1).charAt(0);
            }
        }
    }

    /** The columns of the index {@code REPLICA IDENTITY USING INDEX} names, in order. */
    private List<String> identityIndex(TableRef table) throws SQLException {
        return indexColumns(table, "indisreplident");
    }

    /**
     * The columns, in order, of the table's index whose {@code pg_index} flag {@code flag} is set.
     */
    private List<String> indexColumns(TableRef table, String flag) throws SQLException {
        List<String> key = new ArrayList<>();
        String sql =
                "SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)"
                        + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                        + " WHERE i.indrelid = ?::regclass AND i."
                        + flag
                        + " ORDER BY k.ord";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }

    /** Whether the table exists now. */
    public boolean exists(TableRef table) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The enums and domains met by {@link #describe} so far, in the order met. */
    public List<UserType> userTypes() {
        return new ArrayList<>(userTypes.values());
    }
}
