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
 */
public final class SourceCatalog {
    /** Built-in types whose values the pipeline carries exactly (tested in TypeRoundTripITCase). */
    public static final Set<String> SUPPORTED =
            Set.of(
                    "int2",
                    "int4",
                    "int8",
                    "float4",
                    "float8",
                    "numeric",
                    "bool",
                    "text",
                    "varchar",
                    "bpchar",
                    "uuid",
                    "json",
                    "jsonb",
                    "bytea",
                    "date",
                    "time",
                    "timestamp",
                    "timestamptz",
                    "interval",
                    "inet",
                    "cidr",
                    "macaddr",
                    "xml");

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
     * Reads a table's columns (generated columns excluded: logical replication does not send them);
     * a column named in {@code reserved} (the columns the raw tables add) is refused.
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
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typtype, t.typname, tn.nspname,"
                        + " et.oid IS NOT NULL, COALESCE(et.typtype, t.typtype), COALESCE(et.typname, t.typname),"
                        + " COALESCE(etn.nspname, tn.nspname), COALESCE(et.oid, t.oid), a.attgenerated <> ''"
                        + " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
                        + " JOIN pg_namespace tn ON tn.oid = t.typnamespace"
                        + " LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'"
                        + " LEFT JOIN pg_namespace etn ON etn.oid = et.typnamespace"
                        + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    if (rs.getBoolean(11)) {
                        continue;
                    }
                    if (rawTable && reserved.contains(name)) {
                        continue;
                    }
                    if (reserved.contains(name)) {
                        throw new ConfigException(
                                "column "
                                        + table
                                        + "."
                                        + name
                                        + " has the name of a raw-table metadata column ("
                                        + String.join(", ", new TreeSet<>(reserved))
                                        + "); rename it in the source or leave the table out");
                    }
                    boolean array = rs.getBoolean(6);
                    String baseKind = rs.getString(7);
                    String baseName = rs.getString(8);
                    String baseSchema = rs.getString(9);
                    long baseOid = rs.getLong(10);
                    String type;
                    boolean binary = !array && "bytea".equals(baseName);
                    if ("e".equals(baseKind) || "d".equals(baseKind)) {
                        UserType ut =
                                userType(baseKind, baseSchema, baseName, baseOid, table, name);
                        type = ut.quotedName() + (array ? "[]" : "");
                        binary =
                                !array
                                        && ut.kind() == UserType.Kind.DOMAIN
                                        && ut.domainBaseType().equals("bytea");
                    } else if ("b".equals(baseKind)
                            && "pg_catalog".equals(baseSchema)
                            && SUPPORTED.contains(baseName)) {
                        type = rs.getString(2);
                    } else {
                        throw unsupported(table, name, rs.getString(2));
                    }
                    columns.add(new ColumnSpec(name, type, binary));
                }
            }
        }
        List<String> key = primaryKey(table);
        if (key.isEmpty()) {
            if (configuredKey.isEmpty()) {
                throw new ConfigException(
                        "table "
                                + table
                                + " has no primary key; add one, or name key columns in the config:"
                                + " source.key-columns: { "
                                + table
                                + ": [col1, col2] }");
            }
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
        return new TableSchema(table, columns, key, replicaIdentityFull(table));
    }

    private static ConfigException unsupported(TableRef table, String column, String type) {
        return new ConfigException(
                "column "
                        + table
                        + "."
                        + column
                        + " has type "
                        + type
                        + ", which flink-elt cannot carry exactly yet"
                        + " (supported: "
                        + String.join(", ", new TreeSet<>(SUPPORTED))
                        + ", enums, domains over those, and arrays of them);"
                        + " leave the table out of source.tables");
    }

    /**
     * The enum or domain {@code schema.name} as the source has it now (the warehouse gets the same
     * type).
     */
    public UserType userType(String schema, String name) throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT t.typtype, t.oid FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
                                + " WHERE n.nspname = ? AND t.typname = ?")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException(
                            "type " + schema + "." + name + " no longer exists in the source");
                }
                userTypes.remove(
                        schema + "." + name); // labels may have been added since it was read
                return userType(rs.getString(1), schema, name, rs.getLong(2), null, null);
            }
        }
    }

    private UserType userType(
            String kind, String schema, String name, long oid, TableRef table, String column)
            throws SQLException {
        String id = schema + "." + name;
        UserType known = userTypes.get(id);
        if (known != null) {
            return known;
        }
        UserType ut;
        if ("e".equals(kind)) {
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
            ut = new UserType(schema, name, UserType.Kind.ENUM, labels, null);
        } else {
            try (PreparedStatement ps =
                    conn.prepareStatement(
                            "SELECT format_type(b.oid, t.typtypmod), b.typname, bn.nspname, b.typtype"
                                    + " FROM pg_type t JOIN pg_type b ON b.oid = t.typbasetype JOIN pg_namespace bn ON bn.oid = b.typnamespace WHERE t.oid = ?")) {
                ps.setLong(1, oid);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!"pg_catalog".equals(rs.getString(3))
                            || !"b".equals(rs.getString(4))
                            || !SUPPORTED.contains(rs.getString(2))) {
                        throw unsupported(
                                table,
                                column,
                                Identifiers.quote(schema)
                                        + "."
                                        + Identifiers.quote(name)
                                        + " (a domain over "
                                        + rs.getString(1)
                                        + ")");
                    }
                    ut =
                            new UserType(
                                    schema, name, UserType.Kind.DOMAIN, List.of(), rs.getString(1));
                }
            }
        }
        userTypes.put(id, ut);
        return ut;
    }

    private List<String> primaryKey(TableRef table) throws SQLException {
        List<String> key = new ArrayList<>();
        String sql =
                "SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)"
                        + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                        + " WHERE i.indrelid = ?::regclass AND i.indisprimary ORDER BY k.ord";
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

    private boolean replicaIdentityFull(TableRef table) throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT relreplident FROM pg_class WHERE oid = ?::regclass")) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return "f".equals(rs.getString(1));
            }
        }
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
