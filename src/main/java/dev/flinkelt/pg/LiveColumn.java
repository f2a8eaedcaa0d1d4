package dev.flinkelt.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A table's column as the catalog shows it now (source or warehouse): its type as schema, name and
 * modifier (what two databases can compare), the type text {@code format_type} prints, the base
 * type (the element type of an array, else the type itself) with its kind ({@code e} enum, {@code
 * d} domain, {@code b} base), the column's comment, and whether logical replication leaves it out
 * (a generated column: {@link SourceCatalog#UNPUBLISHED}).
 */
public record LiveColumn(
        String name,
        String typeSchema,
        String typeName,
        int typmod,
        String formatted,
        char baseKind,
        boolean array,
        String baseSchema,
        String baseName,
        String comment,
        boolean unpublished) {

    private static final String SQL =
            "SELECT a.attname, tn.nspname, t.typname, a.atttypmod, format_type(a.atttypid, a.atttypmod),"
                    + " COALESCE(et.typtype, t.typtype), et.oid IS NOT NULL, COALESCE(etn.nspname, tn.nspname), COALESCE(et.typname, t.typname),"
                    + " col_description(a.attrelid, a.attnum), "
                    + SourceCatalog.UNPUBLISHED
                    + " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace"
                    + " LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'"
                    + " LEFT JOIN pg_namespace etn ON etn.oid = et.typnamespace"
                    + " WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";

    /** The modifier of a column known by its type name only (not from a catalog). */
    public static final int UNKNOWN_TYPMOD = Integer.MIN_VALUE;

    /** The built-in types earlier versions carried (their events name types by these names). */
    private static final Set<String> EARLIER_TYPES =
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

    /**
     * A column of built-in type {@code typeName} without modifiers (an array type as {@code
     * _int4}), or {@code text} when the name is unknown or not a type earlier versions carried: the
     * values are PostgreSQL text either way. For events of earlier versions, which name types only.
     */
    public static LiveColumn builtin(String name, String typeName) {
        boolean array = typeName != null && typeName.startsWith("_");
        String base = array ? typeName.substring(1) : typeName;
        if (base == null || !EARLIER_TYPES.contains(base)) {
            return new LiveColumn(
                    name,
                    "pg_catalog",
                    "text",
                    UNKNOWN_TYPMOD,
                    "text",
                    'b',
                    false,
                    "pg_catalog",
                    "text",
                    null,
                    false);
        }
        return new LiveColumn(
                name,
                "pg_catalog",
                typeName,
                UNKNOWN_TYPMOD,
                base + (array ? "[]" : ""),
                'b',
                array,
                "pg_catalog",
                base,
                null,
                false);
    }

    /** The column's type, as the change stream names it. */
    public ColumnType type() {
        return new ColumnType(
                typeSchema, typeName, typmod, formatted, baseKind, array, baseSchema, baseName);
    }

    /** Same type: same schema, name and modifier. */
    public boolean sameType(LiveColumn other) {
        return typeSchema.equals(other.typeSchema)
                && typeName.equals(other.typeName)
                && typmod == other.typmod;
    }

    public boolean isEnum() {
        return baseKind == 'e';
    }

    /**
     * The columns of {@code quotedTable} in attribute order; empty when the table does not exist.
     */
    public static List<LiveColumn> read(Connection conn, String quotedTable) throws SQLException {
        List<LiveColumn> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(SQL)) {
            ps.setString(1, quotedTable);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean array = rs.getBoolean(7);
                    out.add(
                            new LiveColumn(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getInt(4),
                                    rs.getString(5),
                                    rs.getString(6).charAt(0),
                                    array,
                                    rs.getString(8),
                                    rs.getString(9),
                                    rs.getString(10),
                                    rs.getBoolean(11)));
                }
            }
        }
        return out;
    }
}
