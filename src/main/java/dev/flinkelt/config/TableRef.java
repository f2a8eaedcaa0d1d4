package dev.flinkelt.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * A schema-qualified table name exactly as written in the PostgreSQL catalog (case and spaces
 * kept).
 */
public final class TableRef implements Serializable, Comparable<TableRef> {
    private static final long serialVersionUID = 1L;

    private final String schema;
    private final String table;

    public TableRef(String schema, String table) {
        this.schema = Objects.requireNonNull(schema);
        this.table = Objects.requireNonNull(table);
    }

    /**
     * Parses {@code schema.table}; a name containing a dot may be double-quoted: {@code
     * "my.schema"."t"}.
     */
    public static TableRef parse(String text) {
        String[] parts = Identifiers.splitQualified(text);
        if (parts.length != 2) {
            throw new ConfigException(
                    "table '" + text + "' must be schema-qualified, e.g. public.customers");
        }
        return new TableRef(parts[0], parts[1]);
    }

    public String schema() {
        return schema;
    }

    public String table() {
        return table;
    }

    /** The quoted SQL name, safe to put into a statement. */
    public String quoted() {
        return Identifiers.quote(schema) + "." + Identifiers.quote(table);
    }

    /**
     * The table as one text, {@code schema.table}, which {@link #parse} reads back: a part holding
     * a dot or a double quote is double-quoted ({@code "my.schema"."t"}). Other names keep the
     * plain form earlier versions used (it is part of keys in keyed state).
     */
    public String dotted() {
        return part(schema) + "." + part(table);
    }

    private static String part(String name) {
        return name.indexOf('.') >= 0 || name.indexOf('"') >= 0 ? Identifiers.quote(name) : name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableRef other
                && other.schema.equals(schema)
                && other.table.equals(table);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema, table);
    }

    @Override
    public int compareTo(TableRef o) {
        int c = schema.compareTo(o.schema);
        return c != 0 ? c : table.compareTo(o.table);
    }

    @Override
    public String toString() {
        return dotted();
    }
}
